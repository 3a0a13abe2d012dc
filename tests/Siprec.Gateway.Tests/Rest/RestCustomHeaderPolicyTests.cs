using System.Net;
using Siprec.Gateway.RecordingControl;
using Siprec.Gateway.Tests.Support;

namespace Siprec.Gateway.Tests.Rest;

/// <summary>REST custom parameters that would travel as SIP headers the stack owns are refused with 400, and no INVITE leaves.</summary>
public sealed class RestCustomHeaderPolicyTests : IAsyncLifetime
{
    private RestHarness _h = null!;

    public async Task InitializeAsync() => _h = await RestHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Theory]
    [InlineData("Parameter1.Name", "i")]
    [InlineData("Parameter2.Name", "v")]
    [InlineData("Parameter2.Name", "VIA")]
    [InlineData("Parameter1.Name", "P-Asserted-Identity")]
    [InlineData("Parameter2.Name", "Proxy-Require")]
    public async Task Create_WithAParameterNamingAHeaderTheStackOwns_Answers400NamingTheField_AndSendsNoInvite(string field, string name)
    {
        var other = field == "Parameter1.Name" ? "Parameter2" : "Parameter1";
        var (status, body) = await _h.CreateAsync((other + ".Name", "X-Case"), (other + ".Value", "4711"),
            (field, name), (field.Replace(".Name", ".Value", StringComparison.Ordinal), "smuggled"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(RestErrorCodes.InvalidParameter, (int?)body["errors"]![0]!["code"]);
        Assert.StartsWith($"invalid {field} '{name}': a custom header must be named X-", (string?)body["errors"]![0]!["detail"], StringComparison.Ordinal);
        Assert.Equal(0, _h.Srs.Invites);
        Assert.Empty(_h.Srs.Requests);
    }

    [Fact]
    public async Task Create_WithXParameters_SendsThemAsHeadersOnTheInvite()
    {
        var (status, _) = await _h.CreateAsync(("Parameter1.Name", "X-Case"), ("Parameter1.Value", "4711"), ("Parameter2.Name", "User-to-User"),
            ("Parameter2.Value", "04AB;encoding=hex"));

        Assert.Equal(HttpStatusCode.Created, status);
        var invite = await _h.Srs.InviteSeen.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("4711", invite.GetHeader("X-Case"));
        Assert.Equal("04AB;encoding=hex", invite.GetHeader("User-to-User"));
    }
}
