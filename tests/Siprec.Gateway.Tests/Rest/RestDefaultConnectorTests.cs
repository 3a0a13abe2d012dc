using System.Net;
using Siprec.Gateway.Configuration;
using Siprec.Gateway.RecordingControl;
using Siprec.Gateway.Tests.Support;

namespace Siprec.Gateway.Tests.Rest;

/// <summary>Issue 13: <c>ConnectorName</c> is optional; the account's <c>defaultConnector</c> stands in for it.</summary>
public sealed class RestDefaultConnectorTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ACreateWithoutConnectorName_UsesTheAccountsDefaultConnector()
    {
        await using var h = await RestHarness.StartAsync(configure: o => o with { Accounts = [.. o.Accounts.Select(WithDefault("ok"))] });

        var (status, body) = await h.SendAsync(h.Path(), [("Name", "by-default")]);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("by-default", (string?)body["name"]);
        await h.Srs.InviteSeen.Task.WaitAsync(Bound);
    }

    [Fact]
    public async Task AConnectorName_WinsOverTheDefault()
    {
        await using var h = await RestHarness.StartAsync(configure: o => o with { Accounts = [.. o.Accounts.Select(WithDefault("ok"))] });

        var (status, _) = await h.SendAsync(h.Path(), [("ConnectorName", "busy")]);

        Assert.Equal((HttpStatusCode)503, status);
        Assert.Equal(0, h.Srs.Invites);
    }

    [Fact]
    public async Task WithoutConnectorNameOrDefault_Answers400NamingTheField()
    {
        await using var h = await RestHarness.StartAsync();

        var (status, body) = await h.SendAsync(h.Path(), [("Name", "nowhere")]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("missing required field ConnectorName (the account has no defaultConnector)", (string?)body["errors"]![0]!["detail"]);
        Assert.Equal(RestErrorCodes.InvalidParameter, (int?)body["errors"]![0]!["code"]);
        Assert.Equal(0, h.Srs.Invites);
    }

    [Fact]
    public async Task ADefaultConnectorNamingNoConnector_FailsTheStart_NamingTheAccount()
    {
        var options = new GatewayOptions
        {
            SipEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Accounts = [new GatewayAccount(RestHarness.AccountA, RestHarness.TokenA, []) { DefaultConnector = "nope" }],
        };
        await using var gateway = new RecordingGateway(options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => gateway.StartAsync(CancellationToken.None));

        Assert.Contains(RestHarness.AccountA, error.Message, StringComparison.Ordinal);
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
    }

    private static Func<GatewayAccount, GatewayAccount> WithDefault(string connector) =>
        a => a.Sid == RestHarness.AccountA ? a with { DefaultConnector = connector } : a;
}
