using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.EndToEnd.Tests.Peers;
using Siprec.Media.Rtpengine;
using Siprec.Recording;
using Siprec.Recording.MediaEngines;
using Siprec.Sip.Sdp;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.MediaEngine;

/// <summary>
/// The rtpengine media engine's port (<see cref="IMediaEngine"/>) against the real daemon, with plain UDP sockets as the
/// "SRS": packets given to the call reach the SRS's port, a later answer that moves the SRS's port moves the media there
/// (a second <c>subscribe answer</c>), a paused recorder gets nothing, and a resumed one gets media again; a call anchored at
/// rtpengine is relayed between its caller and bot, forked to the recorder, and a pause holds the recorder only.
/// </summary>
[Collection(RtpengineCollection.Name)]
public sealed class RtpengineMediaEngineTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [SkippableFact]
    public async Task ARecorderFollowsAnAnswerThatMovesItsPort_AndGetsNothingWhilePaused()
    {
        using var daemon = await RtpengineDaemon.StartAsync();
        await using var engine = Engine(daemon, new NgClientOptions());
        using var first = Receiver();
        using var second = Receiver();
        await using var call = engine.OpenCall("engine-test");
        await using var media = await call.OpenRecorderAsync([CallParty.Caller], secure: false, CancellationToken.None);

        await media.ApplyAnswerAsync(Answer(first), CancellationToken.None);
        Assert.True(media.Receiving);
        await Poll.UntilAsync(() => { call.OnCallerRtp(Packet()); return first.Available > 0; }, Bound, "caller RTP at the first port");

        await media.ApplyAnswerAsync(Answer(second), CancellationToken.None);
        await Poll.UntilAsync(() => { call.OnCallerRtp(Packet()); return second.Available > 0; }, Bound, "caller RTP at the moved port");

        await media.SetPausedAsync(true);
        Drain(second);
        for (var i = 0; i < 25; i++)
        {
            call.OnCallerRtp(Packet());
            await Task.Delay(20);
        }
        // The daemon forwarded the unpaused packets within milliseconds above; 25 paused ones over 0.5 s must all be dropped.
        Assert.Equal(0, Drain(second));

        await media.SetPausedAsync(false);
        await Poll.UntilAsync(() => { call.OnCallerRtp(Packet()); return second.Available > 0; }, Bound, "caller RTP again after resume");
        // Pause and resume are the SRS's answer again, held (c= 0.0.0.0) and then as given: no block media (see the anchored test).
        Assert.Equal(["publish", "subscribe request", "subscribe answer", "subscribe answer", "subscribe answer", "subscribe answer"],
            daemon.Commands.Where(c => c is not "ping" and not "query"));
    }

    [SkippableFact]
    public async Task AnAnchoredCall_IsRelayedBetweenCallerAndBot_ForkedToTheRecorder_AndAPauseHoldsOnlyTheRecorder()
    {
        using var daemon = await RtpengineDaemon.StartAsync();
        await using var engine = Engine(daemon, new NgClientOptions());
        string? error;
        using var caller = Receiver();
        using var bot = Receiver();
        using var srs = Receiver();
        var anchor = await engine.AnchorAsync("anchored-test", "caller-tag", Offer(caller), "bot-tag", Offer(bot), CancellationToken.None);
        Assert.True(SdpSession.TryParse(anchor.CallerSdp, out var callerSdp, out error), error);
        var toCaller = new IPEndPoint(IPAddress.Loopback, callerSdp!.Media[0].Port);
        Assert.NotEqual(((IPEndPoint)bot.LocalEndPoint!).Port, toCaller.Port); // the caller is answered with rtpengine's port, not the bot's

        await using var call = engine.OpenCall("anchored-test");
        await using var media = await call.OpenRecorderAsync([CallParty.Caller, CallParty.Bot], secure: false, CancellationToken.None);
        Assert.Equal(2, media.Ports.Count);
        Assert.True(SdpSession.TryParse($"v=0\r\no=srs 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {((IPEndPoint)srs.LocalEndPoint!).Port} RTP/AVP 0\r\na=recvonly\r\nm=audio 0 RTP/AVP 0\r\n",
            out var answer, out error), error);
        await media.ApplyAnswerAsync(answer!, CancellationToken.None);

        // The caller sends to rtpengine, which relays to the bot and forks to the SRS; the SRC hands rtpengine nothing.
        await Poll.UntilAsync(() => { caller.SendTo(Packet(), toCaller); return bot.Available > 0 && srs.Available > 0; }, Bound,
            "the caller's RTP at the bot and at the SRS through rtpengine");

        await media.SetPausedAsync(true);
        Drain(srs);
        Drain(bot);
        for (var i = 0; i < 25; i++)
        {
            caller.SendTo(Packet(), toCaller);
            await Task.Delay(20);
        }
        // Paused: the recorder gets nothing, and the call itself goes on (block media would have silenced the bot too).
        Assert.Equal(0, Drain(srs));
        Assert.InRange(Drain(bot), 20, 25);

        await media.SetPausedAsync(false);
        await Poll.UntilAsync(() => { caller.SendTo(Packet(), toCaller); return srs.Available > 0; }, Bound, "the caller's RTP at the SRS again after resume");
        await media.DisposeAsync();
        await call.DisposeAsync();
        await engine.ReleaseAsync(anchor);
        Assert.Equal(["offer", "answer", "subscribe request", "subscribe answer", "subscribe answer", "subscribe answer", "unsubscribe", "delete"],
            daemon.Commands.Where(c => c is not "ping" and not "query"));
    }

    [SkippableFact]
    public async Task TheEnginesReceivedCounter_FollowsRtpenginesQuery_AndMatchesWhatTheSrsGot()
    {
        using var counter = new RtpengineReceivedCounter();
        using var daemon = await RtpengineDaemon.StartAsync();
        // Polls every 200 ms so the counter moves while the "call" runs (the default is 5 s).
        await using var engine = Engine(daemon, new NgClientOptions { StatsInterval = TimeSpan.FromMilliseconds(200) });
        using var srs = Receiver();
        var received = 0;
        var call = (RtpengineMediaCall)engine.OpenCall("stats-test");
        await using (call)
        {
            await using var media = await call.OpenRecorderAsync([CallParty.Caller], secure: false, CancellationToken.None);
            await media.ApplyAnswerAsync(Answer(srs), CancellationToken.None);

            // During the call: the counter grows with what rtpengine reports, before any recording ends.
            await Poll.UntilAsync(() =>
            {
                call.OnCallerRtp(Packet());
                received += Drain(srs);
                return counter.Caller > 0;
            }, Bound, "siprec.media.rtpengine.received{leg=caller} above 0 during the call");
            for (var i = 0; i < 100; i++)
            {
                call.OnCallerRtp(Packet());
                await Task.Delay(5);
            }

            // Every packet handed to rtpengine reached the SRS (loopback, not paused): wait for the last ones to land.
            var sent = call.PacketsSent(CallParty.Caller);
            await Poll.UntilAsync(() => (received += Drain(srs)) >= sent, Bound, $"the SRS receiving the {sent} packets sent");
            await Poll.UntilAsync(() => call.PacketsReceivedByEngine(CallParty.Caller) >= sent, Bound, "a query answer counting every packet");
        }

        // The final query at the end (before delete) counted everything: rtpengine's count, the metric and the SRS agree.
        Assert.Equal(received, counter.Caller);
        Assert.Equal(0, counter.Bot);
        Assert.Contains("query", daemon.Commands);
    }

    [SkippableFact]
    public async Task ACallDeletedAtRtpengineBehindOurBack_FailsItsQueries_CountedAndLoggedOnce_AndTheRecordingGoesOn()
    {
        using var counter = new RtpengineReceivedCounter();
        using var daemon = await RtpengineDaemon.StartAsync();
        var logs = new ListLoggerFactory();
        await using var engine = Engine(daemon, new NgClientOptions { StatsInterval = TimeSpan.FromMilliseconds(100) }, logs);
        using var srs = Receiver();
        var call = (RtpengineMediaCall)engine.OpenCall("stats-hostile");
        await using (call)
        {
            await using var media = await call.OpenRecorderAsync([CallParty.Caller], secure: false, CancellationToken.None);
            await media.ApplyAnswerAsync(Answer(srs), CancellationToken.None);
            var failures = new List<RecorderFailure>();
            using var watch = media.Watch(TimeProvider.System, new SrcOptions(), failures.Add);

            // Another controller (or an operator's rtpengine-ctl) deletes the call: rtpengine answers every query with an error.
            await using (var other = new NgClient([engine.Client.Instances[0]], new NgClientOptions { PingInterval = TimeSpan.FromHours(1) }, TimeProvider.System))
                await other.SendAsync(engine.Client.Instances[0], new Dictionary<string, object> { ["command"] = "delete", ["call-id"] = call.NgCallId }, CancellationToken.None);

            await Poll.UntilAsync(() => counter.QueryFailures >= 3, Bound, "three failed queries counted");
            Assert.Null(call.Failure); // the instance answers: its pings succeed, nothing fails the recording
            Assert.Empty(failures);
            Assert.True(media.Receiving);
        }

        var lines = logs.Lines.Where(l => l.EventId == 7094).ToList();
        Assert.Single(lines); // once per recording, however many polls failed
        Assert.Contains("stats-hostile", lines[0].Message, StringComparison.Ordinal);
        Assert.Contains("Unknown call-id", lines[0].Message, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task TwoRecordingsOfOneAnchoredCall_EachSubscribe_AndTheFirstEndingLeavesTheSecondRecording()
    {
        using var daemon = await RtpengineDaemon.StartAsync();
        await using var engine = Engine(daemon, new NgClientOptions());
        using var caller = Receiver();
        using var bot = Receiver();
        using var firstSrs = Receiver();
        using var secondSrs = Receiver();
        var anchor = await engine.AnchorAsync("two-recordings", "caller-tag", Offer(caller), "bot-tag", Offer(bot), CancellationToken.None);
        Assert.True(SdpSession.TryParse(anchor.CallerSdp, out var callerSdp, out var error), error);
        var toCaller = new IPEndPoint(IPAddress.Loopback, callerSdp!.Media[0].Port);

        var first = engine.OpenCall("two-recordings");
        var firstMedia = await first.OpenRecorderAsync([CallParty.Caller], secure: false, CancellationToken.None);
        await firstMedia.ApplyAnswerAsync(Answer(firstSrs), CancellationToken.None);
        await using var second = engine.OpenCall("two-recordings");
        await using var secondMedia = await second.OpenRecorderAsync([CallParty.Caller], secure: false, CancellationToken.None);
        await secondMedia.ApplyAnswerAsync(Answer(secondSrs), CancellationToken.None);
        await Poll.UntilAsync(() => { caller.SendTo(Packet(), toCaller); return firstSrs.Available > 0 && secondSrs.Available > 0; }, Bound,
            "the caller's RTP at both recordings' SRSs");

        // The first recording ends: its subscription goes, the call (the gateway's anchor) and the second recording stay.
        await firstMedia.DisposeAsync();
        await first.DisposeAsync();
        Drain(firstSrs);
        Drain(secondSrs);
        Drain(bot);
        for (var i = 0; i < 10; i++)
        {
            caller.SendTo(Packet(), toCaller);
            await Task.Delay(20);
        }
        Assert.Equal(0, Drain(firstSrs));
        Assert.InRange(Drain(secondSrs), 8, 10);
        Assert.InRange(Drain(bot), 8, 10);
        Assert.DoesNotContain("delete", daemon.Commands);
    }

    [SkippableFact]
    public async Task ACallersNewOffer_PassesThroughTheAnchor_AndTheBotsMediaFollowsTheCallerToItsNewPort()
    {
        using var daemon = await RtpengineDaemon.StartAsync();
        await using var engine = Engine(daemon, new NgClientOptions());
        string? error;
        using var caller = Receiver();
        using var moved = Receiver();
        using var bot = Receiver();
        var anchor = await engine.AnchorAsync("reoffer-test", "caller-tag", Offer(caller), "bot-tag", Offer(bot), CancellationToken.None);
        await Poll.UntilAsync(() => { bot.SendTo(Packet(), anchor.BotRemote); return caller.Available > 0; }, Bound, "the bot's RTP at the caller");

        // The caller re-INVITEs from another port (a transfer, a new media server): the answer keeps rtpengine's ports.
        var answer = await engine.ReofferAsync(anchor, Offer(moved), CancellationToken.None);
        Assert.True(SdpSession.TryParse(answer, out var reanswered, out error), error);
        Assert.True(SdpSession.TryParse(anchor.CallerSdp, out var first, out error), error);
        Assert.Equal(first!.Media[0].Port, reanswered!.Media[0].Port);
        Drain(caller);
        await Poll.UntilAsync(() => { bot.SendTo(Packet(), anchor.BotRemote); return moved.Available > 0; }, Bound, "the bot's RTP at the caller's new port");
        Assert.Equal(0, Drain(caller));
        await engine.ReleaseAsync(anchor);
        Assert.Equal(["offer", "answer", "offer", "answer", "delete"], daemon.Commands.Where(c => c is not "ping" and not "query"));
    }

    [SkippableFact]
    public async Task AnAnswerThatMovesThePortWhilePaused_StaysHeld_TheResumeSendsThere_AndAnInactiveFirstAnswerIsHeld()
    {
        using var daemon = await RtpengineDaemon.StartAsync();
        await using var engine = Engine(daemon, new NgClientOptions());
        using var first = Receiver();
        using var second = Receiver();
        using var standby = Receiver();
        await using var call = engine.OpenCall("held-test");
        await using var media = await call.OpenRecorderAsync([CallParty.Caller], secure: false, CancellationToken.None);
        await media.ApplyAnswerAsync(Answer(first), CancellationToken.None);
        await Poll.UntilAsync(() => { call.OnCallerRtp(Packet()); return first.Available > 0; }, Bound, "caller RTP at the first port");

        // Paused, and the SRS's answer to the pause re-INVITE moves its port (a=inactive): rtpengine gets it, held.
        await media.SetPausedAsync(true);
        await media.ApplyAnswerAsync(Answer(second, "inactive"), CancellationToken.None);
        // A standby joining the paused recording answers a=inactive before it is told to pause: held from the first answer.
        await using var late = await call.OpenRecorderAsync([CallParty.Caller], secure: false, CancellationToken.None);
        await late.ApplyAnswerAsync(Answer(standby, "inactive"), CancellationToken.None);
        Drain(first);
        for (var i = 0; i < 25; i++)
        {
            call.OnCallerRtp(Packet());
            await Task.Delay(20);
        }
        Assert.Equal(0, Drain(first) + Drain(second) + Drain(standby));

        // The resume re-INVITE's answer keeps the moved port (only its direction changes) and comes before the resume.
        await media.ApplyAnswerAsync(Answer(second), CancellationToken.None);
        await media.SetPausedAsync(false);
        await Poll.UntilAsync(() => { call.OnCallerRtp(Packet()); return second.Available > 0; }, Bound, "caller RTP at the moved port after resume");
        Assert.Equal(0, Drain(first));
    }

    // The engine over one ng client to the daemon.
    private static RtpengineMediaEngine Engine(RtpengineDaemon daemon, NgClientOptions options, ILoggerFactory? logs = null)
    {
        Assert.True(RtpengineInstance.TryParse(daemon.Address, out var instance, out var error), error);
        return new RtpengineMediaEngine(new NgClient([instance!], options, TimeProvider.System), IPAddress.Loopback, logs ?? NullLoggerFactory.Instance);
    }

    private static Socket Receiver()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static int Drain(Socket socket)
    {
        var count = 0;
        var buffer = new byte[2048];
        while (socket.Available > 0)
        {
            socket.Receive(buffer);
            count++;
        }
        return count;
    }

    private static SdpSession Answer(Socket srs, string direction = "recvonly")
    {
        var port = ((IPEndPoint)srs.LocalEndPoint!).Port;
        Assert.True(SdpSession.TryParse($"v=0\r\no=srs 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {port} RTP/AVP 0\r\na={direction}\r\n",
            out var sdp, out var error), error);
        return sdp!;
    }

    private static string Offer(Socket endpoint) =>
        $"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {((IPEndPoint)endpoint.LocalEndPoint!).Port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";

    private static ushort _sequence;

    private static byte[] Packet()
    {
        var packet = new byte[172];
        packet[0] = 0x80;
        var sequence = ++_sequence;
        packet[2] = (byte)(sequence >> 8);
        packet[3] = (byte)sequence;
        packet[7] = (byte)(sequence * 160);
        packet[6] = (byte)(sequence * 160 >> 8);
        packet[11] = 7;
        return packet;
    }
}
