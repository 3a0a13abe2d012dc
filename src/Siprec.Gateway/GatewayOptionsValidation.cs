using Siprec.Gateway.Security;
using Siprec.Gateway.Twiml;

namespace Siprec.Gateway;

/// <summary>
/// The checks <see cref="RecordingGateway.StartAsync"/> runs before it binds anything, so a bad option fails the start
/// with a message naming it instead of a half-started gateway.
/// </summary>
internal static class GatewayOptionsValidation
{
    /// <summary>Checks every option and sub-options record, and parses the trusted peers.</summary>
    /// <returns>The parsed <see cref="GatewayOptions.TrustedPeers"/>.</returns>
    /// <exception cref="ArgumentException">An option is out of range or inconsistent with another; the message names it.</exception>
    public static TrustedPeerList Validate(GatewayOptions options)
    {
        options.ValidateListeners();
        ArgumentNullException.ThrowIfNull(options.MediaAddress, nameof(options.MediaAddress));
        ArgumentNullException.ThrowIfNull(options.FlowContext, nameof(options.FlowContext));
        ArgumentNullException.ThrowIfNull(options.TrustedPeers, nameof(options.TrustedPeers));
        if (string.IsNullOrWhiteSpace(options.PromptDirectory))
        {
            throw new ArgumentException("PromptDirectory must name a folder.", nameof(options));
        }
        if (options.MaxRecorders < 1)
        {
            throw new ArgumentException($"MaxRecorders must be at least 1, was {options.MaxRecorders}.", nameof(options));
        }
        if (options.OperationTimeout < TimeSpan.FromMilliseconds(500) || options.OperationTimeout > TimeSpan.FromSeconds(60))
        {
            throw new ArgumentException($"OperationTimeout must be 500 ms to 60 s, was {options.OperationTimeout}.", nameof(options));
        }
        if (options.NoAnswerTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"NoAnswerTimeout must be positive, was {options.NoAnswerTimeout}.", nameof(options));
        }
        if (options.FlowPath is not null && !File.Exists(options.FlowPath))
        {
            throw new ArgumentException($"FlowPath '{options.FlowPath}' does not exist.", nameof(options));
        }
        ValidateApplications(options);
        ArgumentNullException.ThrowIfNull(options.Accounts, nameof(options.Accounts));
        ArgumentNullException.ThrowIfNull(options.Connectors, nameof(options.Connectors));
        options.Connectors.Validate();
        ArgumentNullException.ThrowIfNull(options.Dns, nameof(options.Dns));
        options.Dns.Validate();
        ArgumentNullException.ThrowIfNull(options.SrcTls, nameof(options.SrcTls));
        ArgumentNullException.ThrowIfNull(options.Callbacks, nameof(options.Callbacks));
        options.Callbacks.Validate();
        ArgumentNullException.ThrowIfNull(options.EndedCallRetention, nameof(options.EndedCallRetention));
        options.EndedCallRetention.Validate();
        options.RestForm.Validate();
        ArgumentNullException.ThrowIfNull(options.Cluster, nameof(options.Cluster));
        options.Cluster.Validate();
        if (options.Cluster.Redis is not null && options.HttpEndPoint is null)
        {
            throw new ArgumentException("Cluster.Redis needs the REST API (HttpEndPoint): the registry exists so REST reaches the node that holds a call.", nameof(options));
        }
        if (options.DefaultAccountSid is not null && options.Accounts.All(a => a.Sid != options.DefaultAccountSid))
        {
            throw new ArgumentException($"DefaultAccountSid '{options.DefaultAccountSid}' is not one of the Accounts.", nameof(options));
        }
        if (options.Accounts.FirstOrDefault(a => a.DefaultConnector is { } name && !options.Connectors.TryGet(name, out _)) is { } orphan)
        {
            throw new ArgumentException($"Accounts: account '{orphan.Sid}' has DefaultConnector '{orphan.DefaultConnector}', which is not one of the Connectors.", nameof(options));
        }
        if (options.RestPublicUrl is { } publicUrl && (!publicUrl.IsAbsoluteUri || publicUrl.Scheme is not ("http" or "https")))
        {
            throw new ArgumentException($"RestPublicUrl must be an absolute http or https URL, was '{publicUrl}'.", nameof(options));
        }
        return TrustedPeerList.Parse(options.TrustedPeers);
    }

    // One application per call: the gateway-wide TwiML/TeXML document replaces the JSON flow, so both at once is a mistake.
    private static void ValidateApplications(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.Twiml, nameof(options.Twiml));
        options.Twiml.Validate();
        if (options.Application is { } application)
        {
            if (options.FlowPath is not null)
                throw new ArgumentException("Application (--twiml) and FlowPath (--flow) are exclusive: a call runs one or the other.", nameof(options));
            application.Validate();
            if (application.Url.IsFile && !File.Exists(application.Url.LocalPath))
                throw new ArgumentException($"Application '{application.Url.LocalPath}' does not exist.", nameof(options));
        }
        foreach (var other in options.Accounts.Select(a => a.Application).Concat(options.NumberApplications.Values).OfType<VoiceApplication>())
        {
            other.Validate();
        }
    }
}
