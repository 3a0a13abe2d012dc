using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Control;
using Siprec.Media.Srtp;
using Siprec.Recording.Connectors;
using Siprec.Recording.Tests.Fakes;
using Siprec.Sip.Messages;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.Recording.Tests.Dialogs;

public sealed class RecordingDialogSrtpTests
{
    [Fact]
    public async Task Start_WithASecureConnector_OffersSavpWithFreshKeysOverTls_AndSendsSrtpTheSrsDecrypts()
    {
        using var certificates = new TestCertificates();
        await using var srs = new SecureSrs(certificates);
        var options = new SrcOptions { Tls = new TlsOptions { TrustedRoots = certificates.TrustStore }, NoAnswerTimeout = TimeSpan.FromSeconds(5) };
        await using var client = new SiprecClient(options, TimeProvider.System, NullLoggerFactory.Instance);
        await client.StartAsync(CancellationToken.None);
        var session = client.CreateSession(SrcHarness.Call);
        var connector = new SrsConnector { Uris = [srs.Uri], Secure = true };

        var result = await session.StartAsync(new RecordingControlRequest { Action = RecordingAction.Start },
            new RecordingStartOptions { Connector = connector }, CancellationToken.None);

        Assert.True(result.Started, string.Join("; ", result.Outcomes));
        var invite = Assert.Single(srs.Requests, r => r.Method == SipMethods.Invite);
        Assert.Equal("TLS", invite.Vias[0].Transport);
        Assert.All(srs.OfferedProtocols, p => Assert.Equal("RTP/SAVP", p));
        Assert.All(srs.OfferedCrypto, c => Assert.Equal(SrtpCryptoSuite.AesCm128HmacSha1_80, c!.Suite));
        Assert.NotEqual(srs.OfferedCrypto[0]!.MasterKey.KeyAndSalt.ToArray(), srs.OfferedCrypto[1]!.MasterKey.KeyAndSalt.ToArray());

        var sequence = (ushort)0;
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (srs.Decrypted(0) < 20 || srs.Decrypted(1) < 20)
            {
                Assert.False(limit.IsCancellationRequested, $"SRS decrypted {srs.Decrypted(0)}/{srs.Decrypted(1)}, rejected {srs.Rejected(0)}/{srs.Rejected(1)}");
                session.OnCallerRtp(Rtp(++sequence));
                session.OnBotRtp(Rtp(sequence));
                await Task.Delay(5, CancellationToken.None);
            }
        }
        Assert.Equal(0, srs.Rejected(0));
        Assert.Equal(0, srs.Rejected(1));
        await session.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Start_WithASecureConnectorToASecondRecorder_UsesKeysNoOtherRecorderHas()
    {
        using var certificates = new TestCertificates();
        await using var first = new SecureSrs(certificates);
        await using var second = new SecureSrs(certificates);
        var options = new SrcOptions { Tls = new TlsOptions { TrustedRoots = certificates.TrustStore }, NoAnswerTimeout = TimeSpan.FromSeconds(5) };
        await using var client = new SiprecClient(options, TimeProvider.System, NullLoggerFactory.Instance);
        await client.StartAsync(CancellationToken.None);
        var session = client.CreateSession(SrcHarness.Call);
        // The start answers on the first acceptance; the other recorder joins when it accepts, so wait for both.
        var bothStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var recordersStarted = 0;
        session.EventRaised += e =>
        {
            if (e.Kind == RecordingEventKind.Started && e.IsRecorderEvent && Interlocked.Increment(ref recordersStarted) == 2) bothStarted.TrySetResult();
        };

        var result = await session.StartAsync(new RecordingControlRequest { Action = RecordingAction.Start, SrsUris = [first.Uri, second.Uri] },
            new RecordingStartOptions { Connector = new SrsConnector { Uris = [first.Uri], Secure = true } }, CancellationToken.None);

        Assert.True(result.Started, string.Join("; ", result.Outcomes));
        await bothStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var keys = new[] { first, second }.SelectMany(s => s.OfferedCrypto).Where(c => c is not null).Select(c => Convert.ToBase64String(c!.MasterKey.KeyAndSalt)).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(4, keys.Count);
        await session.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ASecureRecorder_GetsSrtcpSenderReports_AndItsSrtcpReceiverReportsReachTheStreamReports()
    {
        using var certificates = new TestCertificates();
        await using var srs = new SecureSrs(certificates);
        var clock = new ManualTimeProvider();
        var options = new SrcOptions { Tls = new TlsOptions { TrustedRoots = certificates.TrustStore }, NoAnswerTimeout = TimeSpan.FromSeconds(5) };
        await using var client = new SiprecClient(options, clock, NullLoggerFactory.Instance);
        await client.StartAsync(CancellationToken.None);
        var session = client.CreateSession(SrcHarness.Call);

        var result = await session.StartAsync(new RecordingControlRequest { Action = RecordingAction.Start },
            new RecordingStartOptions { Connector = new SrsConnector { Uris = [srs.Uri], Secure = true } }, CancellationToken.None);
        Assert.True(result.Started, string.Join("; ", result.Outcomes));
        for (ushort sequence = 1; sequence <= 10; sequence++)
        {
            session.OnCallerRtp(Rtp(sequence));
            session.OnBotRtp(Rtp(sequence));
        }
        await Poll.UntilAsync(() => srs.Decrypted(0) == 10 && srs.Decrypted(1) == 10, TimeSpan.FromSeconds(10), "20 SRTP packets at the SRS");
        clock.Advance(TimeSpan.FromSeconds(4)); // the first SR is due within 2.5 s × [0.5, 1.5]

        await Poll.UntilAsync(() => session.StreamReports().Count(r => r.Report is not null) == 2, TimeSpan.FromSeconds(10),
            "the secure recorder's SRTCP receiver reports on both streams");
        Assert.All(session.StreamReports(), r =>
        {
            Assert.Equal(0, r.Report!.CumulativeLost);
            Assert.Equal(10u, r.Report.ExtendedHighestSequence);
        });
        Assert.Equal(1, srs.SenderReports(0));
        Assert.Equal(1, srs.SenderReports(1));
        await session.StopAsync(CancellationToken.None);
    }

    private static byte[] Rtp(ushort sequence)
    {
        var packet = new byte[Media.Rtp.RtpHeader.Size + 160];
        new Media.Rtp.RtpHeader(0, false, sequence, sequence * 160u, 0x11223344).Write(packet);
        packet.AsSpan(Media.Rtp.RtpHeader.Size).Fill(0x55);
        return packet;
    }
}
