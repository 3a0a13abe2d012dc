using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Siprec.Sip.Transport;

/// <summary>
/// The listener rules every SIP server here (the gateway, the SRS) shares (RFC 3261 §18): the UDP end point plus
/// additional UDP/TCP/TLS ones, checked together, and the transport bound for each.
/// </summary>
public static class SipListeners
{
    /// <summary>The UDP end point (when not null) followed by the additional listeners.</summary>
    public static IReadOnlyList<SipListenEndPoint> Combine(IPEndPoint? udp, IReadOnlyList<SipListenEndPoint>? additional) =>
        (udp is null ? [] : new[] { new SipListenEndPoint(SipTransportProtocol.Udp, udp) }).Concat(additional ?? []).ToList();

    /// <summary>
    /// Checks a server's listener options: at least one listener, none twice, TLS only with a certificate that has its
    /// private key (RFC 3261 §26.3.1), valid stream limits when a TCP or TLS listener exists.
    /// </summary>
    /// <param name="udp">The options' UDP end point (named <c>SipEndPoint</c>), or null for none.</param>
    /// <param name="additional">The options' <c>AdditionalListenEndPoints</c>.</param>
    /// <param name="certificate">The options' <c>TlsCertificate</c>.</param>
    /// <param name="stream">The options' <c>StreamTransport</c>.</param>
    /// <param name="purpose">What the listeners are for, in the "no listener" message, e.g. "for calls".</param>
    /// <exception cref="ArgumentException">An option is missing or inconsistent; the message names it and the listener.</exception>
    public static void Validate(IPEndPoint? udp, IReadOnlyList<SipListenEndPoint>? additional, X509Certificate2? certificate,
        StreamTransportOptions? stream, string purpose)
    {
        if (additional is null) throw new ArgumentException("AdditionalListenEndPoints must not be null (use an empty list)", "AdditionalListenEndPoints");
        if (additional.Any(l => l?.EndPoint is null))
            throw new ArgumentException("AdditionalListenEndPoints has a null entry or an entry without an end point", "AdditionalListenEndPoints");
        var listeners = Combine(udp, additional);
        if (listeners.Count == 0)
            throw new ArgumentException($"no SIP listener {purpose}: SipEndPoint is null and AdditionalListenEndPoints is empty", "SipEndPoint");
        var twice = listeners.Where(l => l.EndPoint.Port != 0).GroupBy(l => l).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ArgumentException($"listen end point {twice.Key} is given twice", "AdditionalListenEndPoints");
        if (listeners.FirstOrDefault(l => l.Transport == SipTransportProtocol.Tls) is { } tls)
        {
            if (certificate is null)
                throw new ArgumentException($"TlsCertificate is required for the TLS listener {tls}: a TLS server presents a certificate (RFC 3261 §26.3.1)", "TlsCertificate");
            if (!certificate.HasPrivateKey)
                throw new ArgumentException($"TlsCertificate '{certificate.Subject}' (thumbprint {certificate.Thumbprint}) has no private key; the TLS listener {tls} cannot complete a handshake without it",
                    "TlsCertificate");
        }
        if (listeners.Any(l => l.Transport != SipTransportProtocol.Udp))
        {
            if (stream is null) throw new ArgumentException("StreamTransport is required for TCP and TLS listeners", "StreamTransport");
            stream.Validate();
        }
    }

    /// <summary>Binds the transport for <paramref name="wanted"/>; a bind failure is logged naming the listener, then thrown.</summary>
    /// <param name="wanted">The listener to bind (port 0 = any free port).</param>
    /// <param name="certificate">The server certificate for TLS (checked by <see cref="Validate"/>).</param>
    /// <param name="stream">Framing limits and timers for TCP and TLS.</param>
    /// <param name="time">The clock the stream transports' timers run on.</param>
    /// <param name="loggerFactory">Loggers for the transport.</param>
    /// <exception cref="SocketException">The address cannot be bound (in use, not local).</exception>
    public static ISipTransport CreateTransport(SipListenEndPoint wanted, X509Certificate2? certificate, StreamTransportOptions stream,
        TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        try
        {
            return wanted.Transport switch
            {
                SipTransportProtocol.Tcp => new TcpSipTransport(wanted.EndPoint, stream, time, loggerFactory.CreateLogger<TcpSipTransport>()),
                SipTransportProtocol.Tls => new TlsSipTransport(wanted.EndPoint, new TlsOptions { ServerCertificate = certificate },
                    stream, time, loggerFactory.CreateLogger<TlsSipTransport>()),
                _ => new UdpSipTransport(wanted.EndPoint, loggerFactory.CreateLogger<UdpSipTransport>()),
            };
        }
        catch (SocketException ex)
        {
            Log.BindFailed(loggerFactory.CreateLogger(typeof(SipListeners)), wanted.ToString(), ex.SocketErrorCode.ToString());
            throw;
        }
    }
}
