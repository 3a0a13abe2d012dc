using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Siprec.Gateway.Cluster;

namespace Siprec.Gateway.Tests.Cluster;

/// <summary>
/// The REST forward to the node that holds a call, against a raw TCP peer on 127.0.0.1 playing the owner: the owner's
/// exact answer comes back; credentials and the loop guard go out; a closed port and a silent owner are told apart.
/// </summary>
public sealed class RestForwarderTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Forward_CopiesTheOwnersStatusTypeAndBody_AndSendsCredentialsBodyAndLoopGuard()
    {
        using var owner = new TcpListener(IPAddress.Loopback, 0);
        owner.Start();
        const string answer = "{\"sid\":\"SR1\",\"status\":\"stopped\"}";
        var seen = ServeOnceAsync(owner, $"HTTP/1.1 418 I'm a teapot\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {answer.Length}\r\nConnection: close\r\n\r\n{answer}");
        using var forwarder = new RestForwarder("gw-a", Bound);
        var context = Request("POST", "/2010-04-01/Accounts/AC1/Calls/CA1/Siprec/SR1.json", "Status=stopped");

        var (outcome, status, _) = await forwarder.ForwardAsync(context, new Uri($"http://127.0.0.1:{((IPEndPoint)owner.LocalEndpoint).Port}"));

        Assert.Equal(ForwardOutcome.Answered, outcome);
        Assert.Equal(418, status);
        Assert.Equal(418, context.Response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        Assert.Equal(answer, Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
        var request = await seen.WaitAsync(Bound);
        Assert.StartsWith("POST /2010-04-01/Accounts/AC1/Calls/CA1/Siprec/SR1.json HTTP/1.1", request, StringComparison.Ordinal);
        Assert.Contains("Authorization: Basic QUMxOnRva2Vu", request, StringComparison.Ordinal);
        Assert.Contains("X-Siprec-Forwarded-By: gw-a", request, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/x-www-form-urlencoded", request, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nStatus=stopped", request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forward_ToAClosedPort_IsUnreachable_AndWritesNothing()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        using var forwarder = new RestForwarder("gw-a", Bound);
        var context = Request("GET", "/2010-04-01/Accounts/AC1/Calls/CA1/Siprec.json", null);

        var (outcome, _, reason) = await forwarder.ForwardAsync(context, new Uri($"http://127.0.0.1:{port}"));

        Assert.Equal(ForwardOutcome.Unreachable, outcome);
        Assert.Contains("ConnectionError", reason, StringComparison.Ordinal);
        Assert.Equal(0, context.Response.Body.Length);
    }

    [Fact]
    public async Task Forward_ToAnOwnerThatAcceptsButNeverAnswers_TimesOut_AndWritesNothing()
    {
        using var owner = new TcpListener(IPAddress.Loopback, 0);
        owner.Start(); // the kernel accepts the connection; nobody reads or answers
        using var forwarder = new RestForwarder("gw-a", TimeSpan.FromMilliseconds(300));
        var context = Request("GET", "/2010-04-01/Accounts/AC1/Calls/CA1/Siprec.json", null);

        var (outcome, _, _) = await forwarder.ForwardAsync(context, new Uri($"http://127.0.0.1:{((IPEndPoint)owner.LocalEndpoint).Port}")).WaitAsync(Bound);

        Assert.Equal(ForwardOutcome.TimedOut, outcome);
        Assert.Equal(0, context.Response.Body.Length);
    }

    [Fact]
    public void WasForwarded_IsTrueOnlyWithTheLoopGuardHeader()
    {
        var plain = Request("GET", "/x", null);
        var forwarded = Request("GET", "/x", null);
        forwarded.Request.Headers[RestForwarder.ForwardedHeader] = "gw-b";

        Assert.False(RestForwarder.WasForwarded(plain.Request));
        Assert.True(RestForwarder.WasForwarded(forwarded.Request));
    }

    private static DefaultHttpContext Request(string method, string path, string? form)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Headers.Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("AC1:token"));
        if (form is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(form);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "application/x-www-form-urlencoded";
        }
        context.Response.Body = new MemoryStream();
        return context;
    }

    // Reads one request (headers and a Content-Length body), answers it, returns what was read.
    private static async Task<string> ServeOnceAsync(TcpListener listener, string response)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var text = received.ToString();
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var lengthLine = text[..end].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                var length = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                if (text.Length - end - 4 >= length) break;
            }
            var read = await stream.ReadAsync(buffer);
            if (read == 0) break;
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
        return received.ToString();
    }
}
