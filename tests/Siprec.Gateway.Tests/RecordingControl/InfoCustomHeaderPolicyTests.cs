using Siprec.Gateway.Tests.Support;
using Siprec.Recording;
using Siprec.Testing.Srs;

namespace Siprec.Gateway.Tests.RecordingControl;

/// <summary>An INFO whose JSON body names a header the SIP stack owns is refused before any SRS is contacted.</summary>
public sealed class InfoCustomHeaderPolicyTests
{
    [Theory]
    [InlineData("i")]
    [InlineData("v")]
    [InlineData("Call-ID")]
    [InlineData("P-Asserted-Identity")]
    [InlineData("Proxy-Require")]
    public async Task Start_WithACustomHeaderTheStackOwns_IsAnswered400NamingIt_AndNoInviteIsSent(string name)
    {
        await using var srs = FakeSrs.Start(FakeSrsBehavior.Accept);
        await using var harness = await RecordingHarness.StartAsync();

        var response = await harness.SendAsync(harness.Info([("X-Reason", "startCallRecording"), ("X-Srs-Url", srs.Uri)],
            "{\"X-Ok\":\"1\",\"" + name + "\":\"smuggled\"}"));

        Assert.Equal(400, response.StatusCode);
        Assert.StartsWith($"399 {RecordingHarness.WarnAgent} \"invalid custom header in recording request: {name}: ", response.GetHeader("Warning"),
            StringComparison.Ordinal);
        Assert.Equal(RecordingState.Idle, harness.Controller.State);
        Assert.Equal(0, srs.Invites);
        Assert.Empty(srs.Requests);
    }
}
