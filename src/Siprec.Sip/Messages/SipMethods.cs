namespace Siprec.Sip.Messages;

/// <summary>Method names the stack uses (RFC 3261 §7.1, RFC 6086 INFO, RFC 3311 UPDATE).</summary>
public static class SipMethods
{
    /// <summary>INVITE (RFC 3261 §13).</summary>
    public const string Invite = "INVITE";
    /// <summary>ACK (RFC 3261 §13.2.2.4, §17.1.1.3).</summary>
    public const string Ack = "ACK";
    /// <summary>BYE (RFC 3261 §15).</summary>
    public const string Bye = "BYE";
    /// <summary>CANCEL (RFC 3261 §9).</summary>
    public const string Cancel = "CANCEL";
    /// <summary>OPTIONS (RFC 3261 §11).</summary>
    public const string Options = "OPTIONS";
    /// <summary>INFO (RFC 6086).</summary>
    public const string Info = "INFO";
    /// <summary>UPDATE (RFC 3311).</summary>
    public const string Update = "UPDATE";
    /// <summary>REGISTER (RFC 3261 §10).</summary>
    public const string Register = "REGISTER";
}
