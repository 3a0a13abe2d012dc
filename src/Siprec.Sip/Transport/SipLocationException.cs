namespace Siprec.Sip.Transport;

/// <summary>A SIP URI could not be resolved to an address (RFC 3263 §4); the message names the URI and the cause.</summary>
public sealed class SipLocationException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public SipLocationException() : base("the SIP server could not be located")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public SipLocationException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the underlying cause.</summary>
    public SipLocationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
