using Siprec.Recorder.Observability;
using Siprec.Recorder.Sessions;

namespace Siprec.Recorder.Tests.Observability;

public sealed class RecorderMetricsTests
{
    [Theory]
    [InlineData(nameof(SessionRefusal.MaxSessions), "max-sessions")]
    [InlineData(nameof(SessionRefusal.MaxSessionsPerSource), "max-sessions-per-source")]
    [InlineData(nameof(SessionRefusal.RtpPorts), "rtp-ports")]
    [InlineData(nameof(SessionRefusal.ShuttingDown), "shutting-down")]
    [InlineData(nameof(SessionRefusal.SessionIntervalTooSmall), "session-interval-too-small")]
    public void ReasonTag_NamesTheRefusal(string refusal, string tag)
    {
        // By name: SessionRefusal is internal and a public test method cannot take it.
        Assert.Equal(tag, RecorderMetrics.ReasonTag(Enum.Parse<SessionRefusal>(refusal)));
    }

    [Fact]
    public void ReasonTag_HasATagOfItsOwnForEveryRefusal()
    {
        var tags = Enum.GetValues<SessionRefusal>().Select(RecorderMetrics.ReasonTag).ToList();

        Assert.DoesNotContain("other", tags);
        Assert.Equal(tags.Count, tags.Distinct().Count());
    }
}
