namespace Siprec.Gateway.Configuration;

/// <summary>The gateway configuration file is unreadable or invalid; the message names the file and the bad key.</summary>
public sealed class GatewayConfigurationException : Exception
{
    /// <summary>Creates the exception with a message naming the key.</summary>
    public GatewayConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message naming the key and the underlying failure.</summary>
    public GatewayConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
