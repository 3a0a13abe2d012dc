namespace Siprec.Sip.Location;

/// <summary>A DNS query failed (timeout, server failure, malformed answer); the message names the query and the servers tried.</summary>
public sealed class DnsResolutionException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public DnsResolutionException() : base("DNS resolution failed")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public DnsResolutionException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the underlying cause.</summary>
    public DnsResolutionException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
