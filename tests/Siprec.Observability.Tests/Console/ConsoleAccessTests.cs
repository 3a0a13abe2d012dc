using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Gateway;
using Siprec.Gateway.Configuration;
using Siprec.Observability.Console;
using Siprec.Recorder;

namespace Siprec.Observability.Tests.Console;

/// <summary>
/// Issue 17: the consoles and <c>/metrics</c> are open on loopback only; bound to a network address they answer 401 without
/// credentials (the SRS's <c>--http-credentials</c>, the gateway's REST accounts) and refuse to start open.
/// </summary>
public sealed class ConsoleAccessTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "siprec-access-" + Guid.NewGuid().ToString("N"));
    private RecordingServer? _server;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _server = new RecordingServer(new RecordingServerOptions
        {
            SipEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            MediaAddress = IPAddress.Loopback,
            OutputDirectory = _folder,
        }, TimeProvider.System, NullLoggerFactory.Instance);
        await _server.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
        File.Delete(_folder + "-outside.json");
    }

    [SkippableFact]
    public async Task TheSrsConsoleOnANetworkAddress_Answers401WithoutCredentials_AndServesWithThem()
    {
        var address = NonLoopbackAddress.Find();
        Skip.If(address is null, "this machine has no non-loopback IPv4 address to bind");
        await using var console = new SrsConsole(_server!, new SrsConsoleOptions { EndPoint = new IPEndPoint(address!, 0), Credentials = "ops:s3cret" },
            TimeProvider.System, NullLogger<SrsConsole>.Instance);
        await console.StartAsync(CancellationToken.None);
        var url = $"http://{console.EndPoint}";

        foreach (var path in new[] { "/", "/metrics", "/live", "/live/events", "/recordings/x/audio.wav" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await RecordedCallHarness.GetAsync(url + path)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RecordedCallHarness.GetAsync(url + "/", "ops:wrong")).Status);
        var page = await RecordedCallHarness.GetAsync(url + "/", "ops:s3cret");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Live sessions", page.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await RecordedCallHarness.GetAsync(url + "/metrics", "ops:s3cret")).Status);
        // A session name that climbs out of the recordings folder names no recording.
        File.WriteAllText(_folder + "-outside.json", "{}");
        var outside = Path.GetFileName(_folder) + "-outside";
        foreach (var path in new[] { $"/recordings/..%2F{outside}/sidecar.json", "/recordings/%2E%2E/sidecar.json", "/recordings/nothing/audio.wav" })
            Assert.Equal(HttpStatusCode.NotFound, (await RecordedCallHarness.GetAsync(url + path, "ops:s3cret")).Status);
    }

    [SkippableFact]
    public async Task TheSrsConsoleOnANetworkAddressWithoutCredentials_RefusesToStart()
    {
        var address = NonLoopbackAddress.Find();
        Skip.If(address is null, "this machine has no non-loopback IPv4 address to bind");
        await using var console = new SrsConsole(_server!, new SrsConsoleOptions { EndPoint = new IPEndPoint(address!, 0) },
            TimeProvider.System, NullLogger<SrsConsole>.Instance);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => console.StartAsync(CancellationToken.None));
        Assert.Contains("USER:PASSWORD", refused.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task TheGatewayConsoleAndMetricsOnANetworkAddress_NeedTheRestApisCredentials()
    {
        var address = NonLoopbackAddress.Find();
        Skip.If(address is null, "this machine has no non-loopback IPv4 address to bind");
        const string sid = "AC0123456789abcdef0123456789abcdef";
        await using var gateway = new RecordingGateway(new GatewayOptions
        {
            SipEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            MediaAddress = IPAddress.Loopback,
            HttpEndPoint = new IPEndPoint(address!, 0),
            Accounts = [new GatewayAccount(sid, "token-1", [])],
        }, TimeProvider.System, NullLoggerFactory.Instance);
        await gateway.StartAsync(CancellationToken.None);
        var url = $"http://{gateway.HttpEndPoint}";

        Assert.Equal(HttpStatusCode.Unauthorized, (await RecordedCallHarness.GetAsync(url + "/console")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RecordedCallHarness.GetAsync(url + "/metrics")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RecordedCallHarness.GetAsync(url + "/console", sid + ":wrong")).Status);
        var page = await RecordedCallHarness.GetAsync(url + "/console", sid + ":token-1");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Calls (0)", page.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await RecordedCallHarness.GetAsync(url + "/metrics", sid + ":token-1")).Status);
    }
}
