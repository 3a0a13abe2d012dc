namespace Siprec.Sip.Transport;

/// <summary>What <see cref="StreamFramer"/> found at the start of a stream buffer.</summary>
internal enum StreamFrame
{
    /// <summary>More bytes are needed.</summary>
    Incomplete,

    /// <summary>One whole SIP message.</summary>
    Message,

    /// <summary>A CRLFCRLF keep-alive ping (RFC 5626 §4.4.1), to be answered with CRLF.</summary>
    Ping,

    /// <summary>A CRLF keep-alive pong.</summary>
    Pong,

    /// <summary>The stream cannot be framed (no Content-Length, too large); the connection must close.</summary>
    Error,
}
