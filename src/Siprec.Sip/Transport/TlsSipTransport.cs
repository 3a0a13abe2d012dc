using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Siprec.Sip.Transport;

/// <summary>
/// SIP over TLS (RFC 3261 §26.3.1, RFC 5922): the TCP transport with an <see cref="SslStream"/> on each connection.
/// The peer certificate is always validated: chain to the system store or <see cref="TlsOptions.TrustedRoots"/>, and
/// the name against <see cref="SipTarget.TlsHostName"/>; a failure names the expected and the presented names.
/// </summary>
public sealed class TlsSipTransport : ISipTransport
{
    private readonly StreamTransportCore _core;
    private readonly TlsOptions _tls;
    private readonly ILogger _logger;

    /// <summary>Binds the listening socket to <paramref name="bindTo"/> (port 0 picks a free port); <see cref="Start"/> listens.</summary>
    /// <param name="bindTo">The local address and port.</param>
    /// <param name="tls">Certificate and trust settings.</param>
    /// <param name="options">Limits and timers; null uses the defaults. Validated here.</param>
    /// <param name="time">The clock for connect, idle and keep-alive timers; null uses the system clock.</param>
    /// <param name="logger">Optional logger.</param>
    /// <exception cref="SocketException">The address cannot be bound.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Invalid options.</exception>
    public TlsSipTransport(IPEndPoint bindTo, TlsOptions tls, StreamTransportOptions? options = null, TimeProvider? time = null, ILogger<TlsSipTransport>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(bindTo);
        ArgumentNullException.ThrowIfNull(tls);
        options ??= new StreamTransportOptions();
        options.Validate();
        _tls = tls;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _core = new StreamTransportCore("TLS", bindTo, options, time ?? TimeProvider.System, _logger, WrapAsync);
    }

    /// <inheritdoc />
    public IPEndPoint LocalEndPoint => _core.LocalEndPoint;

    /// <inheritdoc />
    public SipTransportProtocol Protocol => SipTransportProtocol.Tls;

    /// <inheritdoc />
    public bool IsReliable => true;

    /// <summary>Open connections (inbound and outbound).</summary>
    public int ConnectionCount => _core.ConnectionCount;

    /// <summary>
    /// Accepted connections closed at once since start because they would exceed
    /// <see cref="StreamTransportOptions.MaxInboundConnections"/> or <see cref="StreamTransportOptions.MaxInboundConnectionsPerAddress"/>.
    /// </summary>
    public long RefusedConnections => _core.RefusedConnections;

    /// <inheritdoc />
    public void Start(DatagramHandler onDatagram) => _core.Start(onDatagram);

    /// <summary>Sends to <paramref name="remote"/>, checking the certificate against the IP address (prefer the <see cref="SipTarget"/> overload).</summary>
    /// <exception cref="SocketException">The connection was refused.</exception>
    /// <exception cref="IOException">The connect timed out or the connection broke.</exception>
    /// <exception cref="AuthenticationException">The handshake or the certificate check failed.</exception>
    public ValueTask SendAsync(ReadOnlyMemory<byte> data, IPEndPoint remote, CancellationToken cancellationToken = default) =>
        _core.SendAsync(data, new SipTarget(remote, SipTransportProtocol.Tls), cancellationToken);

    /// <inheritdoc />
    public ValueTask SendAsync(ReadOnlyMemory<byte> data, SipTarget target, CancellationToken cancellationToken = default) =>
        _core.SendAsync(data, target, cancellationToken);

    /// <summary>Stops listening and closes every connection.</summary>
    public ValueTask DisposeAsync() => _core.DisposeAsync();

    private async Task<Stream> WrapAsync(Socket socket, SipTarget? target, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        var revocation = _tls.CheckCertificateRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
        try
        {
            if (target is null)
            {
                if (_tls.ServerCertificate is null) throw new AuthenticationException("no TLS server certificate is configured (TlsOptions.ServerCertificate)");
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = _tls.ServerCertificate,
                    ClientCertificateRequired = false,
                    CertificateRevocationCheckMode = revocation,
                }, cancellationToken).ConfigureAwait(false);
                return ssl;
            }
            var host = target.TlsHostName ?? target.EndPoint.Address.ToString();
            string? failure = null;
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = host,
                CertificateRevocationCheckMode = revocation,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                {
                    failure = TlsCertificateCheck.Validate(certificate, chain, errors, host, _tls);
                    if (failure is not null) Log.CertificateRejected(_logger, host, failure);
                    return failure is null;
                },
            };
            try
            {
                await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (AuthenticationException ex) when (failure is not null)
            {
                throw new AuthenticationException($"TLS to {target.EndPoint}: {failure}", ex);
            }
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
