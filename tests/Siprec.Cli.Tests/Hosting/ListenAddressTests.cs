using System.Net;
using Siprec.Cli.Hosting;
using Siprec.Sip.Transport;

namespace Siprec.Cli.Tests.Hosting;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("udp:127.0.0.1:5060", SipTransportProtocol.Udp, "127.0.0.1", 5060)]
    [InlineData(" tcp:0.0.0.0:0 ", SipTransportProtocol.Tcp, "0.0.0.0", 0)]
    [InlineData("tls:[::1]:5061", SipTransportProtocol.Tls, "::1", 5061)]
    public void TryParseListener_Sip_AcceptsEveryTransport(string text, SipTransportProtocol transport, string address, int port)
    {
        Assert.True(ListenAddress.TryParseListener(text, "--sip", out var listen, out var error), error);
        Assert.Equal(transport, listen!.Transport);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), listen.EndPoint);
    }

    [Theory]
    [InlineData("udp:gateway.example.com:5060", "expected udp:HOST:PORT")]
    [InlineData("127.0.0.1", "expected udp:HOST:PORT")]
    [InlineData("udp:127.0.0.1:99999", "expected udp:HOST:PORT")]
    [InlineData("sip:127.0.0.1:5060", "unknown transport 'sip'")]
    public void TryParseListener_Sip_RefusesOtherForms_NamingTheOptionAndValue(string text, string reason)
    {
        Assert.False(ListenAddress.TryParseListener(text, "--sip", out var listen, out var error));
        Assert.Null(listen);
        Assert.StartsWith($"--sip '{text}': {reason}", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("udp:127.0.0.1:5060", SipTransportProtocol.Udp, "127.0.0.1", 5060)]
    [InlineData("TCP:127.0.0.1:5060", SipTransportProtocol.Tcp, "127.0.0.1", 5060)]
    [InlineData("tls:[::1]:5061", SipTransportProtocol.Tls, "::1", 5061)]
    [InlineData("0.0.0.0:5080", SipTransportProtocol.Udp, "0.0.0.0", 5080)]
    public void TryParseListener_AcceptsEveryTransport(string text, SipTransportProtocol transport, string address, int port)
    {
        Assert.True(ListenAddress.TryParseListener(text, "--listen", out var listen, out var error), error);
        Assert.Equal(transport, listen!.Transport);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), listen.EndPoint);
    }

    [Theory]
    [InlineData("ws:127.0.0.1:5062", "unknown transport 'ws'; expected udp, tcp or tls")]
    [InlineData("tls:localhost:5061", "expected udp:HOST:PORT, tcp:HOST:PORT or tls:HOST:PORT")]
    [InlineData("tcp:[::1]", "expected udp:HOST:PORT, tcp:HOST:PORT or tls:HOST:PORT")]
    [InlineData("tcp:", "expected udp:HOST:PORT, tcp:HOST:PORT or tls:HOST:PORT")]
    public void TryParseListener_RefusesBadValues_NamingTheOptionAndValue(string text, string reason)
    {
        Assert.False(ListenAddress.TryParseListener(text, "--listen", out var listen, out var error));
        Assert.Null(listen);
        Assert.StartsWith($"--listen '{text}': ", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
