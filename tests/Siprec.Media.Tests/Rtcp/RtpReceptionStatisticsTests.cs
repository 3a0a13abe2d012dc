using Siprec.Media.Rtcp;
using Siprec.Testing;

namespace Siprec.Media.Tests.Rtcp;

public sealed class RtpReceptionStatisticsTests
{
    private const uint Ssrc = 0x1234;
    private readonly ManualTimeProvider _clock = new();

    private RtpReceptionStatistics Create() => new(8000, _clock);

    [Fact]
    public void InOrderStream_HasNoLoss_AndZeroJitterWhenArrivalMatchesTimestamps()
    {
        var stats = Create();
        for (int i = 0; i < 50; i++) stats.Receive(Ssrc, (ushort)(1000 + i), (uint)(160 * i), (uint)(5000 + 160 * i));

        var block = stats.CreateReportBlock()!.Value;
        Assert.Equal(50, stats.Expected);
        Assert.Equal(0, block.CumulativeLost);
        Assert.Equal(0, block.FractionLost);
        Assert.Equal(0u, block.Jitter);
        Assert.Equal(1049u, block.ExtendedHighestSequence);
        Assert.Equal(Ssrc, block.Ssrc);
    }

    [Fact]
    public void DroppingEveryTenthPacket_GivesTheA3LossAndFraction()
    {
        var stats = Create();
        // 100 packets sent, the ones with i % 10 == 5 lost: expected 100, received 90.
        for (int i = 0; i < 100; i++)
            if (i % 10 != 5) stats.Receive(Ssrc, (ushort)i, (uint)(160 * i), (uint)(160 * i));

        var block = stats.CreateReportBlock()!.Value;
        Assert.Equal(100, stats.Expected);
        Assert.Equal(90, stats.Received);
        Assert.Equal(10, block.CumulativeLost);
        Assert.Equal((10 << 8) / 100, block.FractionLost); // 25 = floor(256 * 10 / 100)
    }

    [Fact]
    public void FractionLost_CoversOnlyTheIntervalSinceThePreviousReport()
    {
        var stats = Create();
        for (int i = 0; i < 20; i++) if (i != 3) stats.Receive(Ssrc, (ushort)i, 0, 0); // 1 of 20 lost
        Assert.Equal((1 << 8) / 20, stats.CreateReportBlock()!.Value.FractionLost);
        for (int i = 20; i < 40; i++) stats.Receive(Ssrc, (ushort)i, 0, 0);        // none lost
        var second = stats.CreateReportBlock()!.Value;
        Assert.Equal(0, second.FractionLost);
        Assert.Equal(1, second.CumulativeLost);
        for (int i = 40; i < 50; i++) if (i % 2 == 0) stats.Receive(Ssrc, (ushort)i, 0, 0); // 40..48 even: highest 48
        var third = stats.CreateReportBlock()!.Value;
        // expected in interval: 40..48 = 9, received 5 -> lost 4 -> 4*256/9 = 113
        Assert.Equal((4 << 8) / 9, third.FractionLost);
        Assert.Equal(5, third.CumulativeLost);
    }

    [Fact]
    public void Duplicates_MakeCumulativeLossNegative_AndFractionZero()
    {
        var stats = Create();
        for (int i = 0; i < 10; i++) stats.Receive(Ssrc, (ushort)i, 0, 0);
        stats.Receive(Ssrc, 9, 0, 0);
        stats.Receive(Ssrc, 8, 0, 0);

        var block = stats.CreateReportBlock()!.Value;
        Assert.Equal(-2, block.CumulativeLost);
        Assert.Equal(0, block.FractionLost);
    }

    [Fact]
    public void SequenceWrap_CountsACycle()
    {
        var stats = Create();
        for (int i = 0; i < 10; i++) stats.Receive(Ssrc, (ushort)(65530 + i), 0, 0);

        Assert.Equal(0x0001_0003u, stats.ExtendedHighestSequence);
        Assert.Equal(10, stats.Expected);
        Assert.Equal(0, stats.CumulativeLost);
    }

    [Fact]
    public void LargeJump_IsIgnoredOnce_ThenTwoSequentialPacketsRestartTheSource()
    {
        var stats = Create();
        for (int i = 0; i < 5; i++) stats.Receive(Ssrc, (ushort)(100 + i), 0, 0);

        Assert.False(stats.Receive(Ssrc, 30000, 0, 0));
        Assert.Equal(5, stats.Received);
        Assert.True(stats.Receive(Ssrc, 30001, 0, 0));

        Assert.Equal(1, stats.Received);
        Assert.Equal(1, stats.Expected);
        Assert.Equal(30001u, stats.ExtendedHighestSequence);
    }

    [Fact]
    public void Jitter_FollowsTheA8Estimator()
    {
        var stats = Create();
        // Transit times 0, 160, 0, 160: |D| = 160 each step after the first.
        stats.Receive(Ssrc, 0, 0, 0);
        stats.Receive(Ssrc, 1, 160, 320);
        stats.Receive(Ssrc, 2, 320, 320);
        stats.Receive(Ssrc, 3, 480, 640);

        // J1 = 160/16 = 10; J2 = 10 + (160-10)/16 = 19.375; J3 = 19.375 + (160-19.375)/16 = 28.16...
        // Integer form (scaled by 16): 160, 160+160-10=310, 310+160-19=451 -> 451 >> 4 = 28.
        Assert.Equal(28u, stats.Jitter);
        Assert.Equal(3.5, stats.JitterMilliseconds);
    }

    [Fact]
    public void Jitter_UsesTheClockForArrival()
    {
        var stats = Create();
        stats.Receive(new Siprec.Media.Rtp.RtpHeader(0, false, 1, 0, Ssrc));
        _clock.Advance(TimeSpan.FromMilliseconds(40)); // 320 units, but the timestamp says 160
        stats.Receive(new Siprec.Media.Rtp.RtpHeader(0, false, 2, 160, Ssrc));

        Assert.Equal(10u, stats.Jitter); // |D| = 160, J = 160/16
    }

    [Fact]
    public void LsrAndDlsr_ComeFromTheLastSenderReport()
    {
        var stats = Create();
        stats.Receive(Ssrc, 1, 0, 0);
        Assert.Equal(0u, stats.CreateReportBlock()!.Value.LastSenderReport);

        var ntp = new NtpTimestamp(0xED00_3780_4000_0000);
        stats.ReceiveSenderReport(ntp);
        _clock.Advance(TimeSpan.FromMilliseconds(1500));
        var block = stats.CreateReportBlock()!.Value;

        Assert.Equal(0x3780_4000u, block.LastSenderReport);
        Assert.Equal(0x0001_8000u, block.DelaySinceLastSenderReport); // 1.5 s in 1/65536 s
    }

    [Fact]
    public void NoPackets_NoBlock()
    {
        Assert.Null(Create().CreateReportBlock());
    }
}
