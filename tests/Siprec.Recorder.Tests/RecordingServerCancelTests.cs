using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Recorder.Sessions;
using Siprec.Recorder.Tests.Support;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Sip.Transactions;
using Siprec.Testing;

namespace Siprec.Recorder.Tests;

/// <summary>
/// CANCEL racing the SRS's answer (RFC 3261 §9.2): a CANCELled recording INVITE leaves no session behind, whichever of
/// the two the SRS handled first, and a CANCELled re-INVITE leaves the session alone (RFC 3261 §14.1).
/// </summary>
public sealed class RecordingServerCancelTests : IAsyncLifetime
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _output = new();
    private readonly GatedTimeProvider _clock = new();
    private RecordingServer _server = null!;
    private SrcPeer _src = null!;

    private IPEndPoint Srs => _server.SipEndPoint;

    public async Task InitializeAsync()
    {
        // One session at most: a new INVITE admitted afterwards proves the cancelled one gave its place back.
        _server = new RecordingServer(new RecordingServerOptions { OutputDirectory = _output.Path, MaxConcurrentSessions = 1 }, _clock, NullLoggerFactory.Instance);
        await _server.StartAsync(CancellationToken.None);
        _src = SrcPeer.Start();
    }

    public async Task DisposeAsync()
    {
        _clock.Release();
        await _server.DisposeAsync();
        await _src.DisposeAsync();
        _output.Dispose();
    }

    private SipRequest NewInvite()
    {
        var (contentType, body) = SiprecBodies.Multipart(SiprecBodies.Offer(1, SdpDirection.SendOnly, 4000, 4002));
        return _src.CreateInvite(Srs, contentType, body);
    }

    /// <summary>
    /// Sends <paramref name="request"/>, waits until the SRS's handler is held by the clock, CANCELs it (the SRC's
    /// transaction layer sends CANCEL when the token fires) and returns the INVITE's final response, then lets the handler go on.
    /// </summary>
    private async Task<SipResponse> CancelWhileHeldAsync(SipRequest request)
    {
        using var cancel = new CancellationTokenSource();
        var sending = _src.Layer.SendRequestAsync(request, _src.Target(Srs), null, cancel.Token);
        try
        {
            await _clock.Entered.WaitAsync(WaitLimit);
            await cancel.CancelAsync();
            var outcome = await sending.WaitAsync(WaitLimit);
            Assert.True(outcome.Kind == TransactionOutcomeKind.Response, $"{request.Method} got no final response: {outcome.Kind} {outcome.Error}");
            return outcome.Response!;
        }
        finally
        {
            _clock.Release();
        }
    }

    [Fact]
    public async Task CancelWhileTheSessionIsBeingBuilt_FinalizesItAsCancelled_AndFreesItsPlace()
    {
        // The session's flush timer is the last thing RecorderSession.Start creates: held there, the session has its
        // sockets and first sidecar but is not yet in the server's table when the CANCEL comes.
        _clock.Arm((state, _) => state is RecorderSession);
        using var meter = new RecorderMeter(_server);

        var final = await CancelWhileHeldAsync(NewInvite());

        Assert.Equal(487, final.StatusCode);
        await Poll.UntilAsync(() => _server.CompletedSessions.Count == 1 && _server.ActiveSessionCount == 0, WaitLimit,
            "the SRS to finalize the cancelled session");
        var summary = _server.CompletedSessions.Single();
        Assert.False(summary.Complete);
        Assert.Equal("cancelled by the SRC", summary.Reason);
        var sidecar = Sidecar.Read(summary.JsonPath);
        Assert.False((bool)sidecar["complete"]!);
        Assert.Equal("cancelled by the SRC", (string?)sidecar["reason"]);
        Assert.Equal(["cancelled"], meter.RefusedReasons);
        Assert.Equal(0, meter.Started);

        var next = NewInvite();
        var ok = await _src.SendAsync(next, Srs);
        Assert.Equal(200, ok.StatusCode);
        await _src.Layer.SendAckAsync(Dialog.CreateAsUac(next, ok).CreateAck(1), Srs);
        Assert.Single(_server.LiveSessions);
    }

    [Fact]
    public async Task CancelOfAReinvite_LeavesTheRecordingRunning()
    {
        var (dialog, _) = await _src.EstablishAsync(_server, SiprecBodies.Offer(1, SdpDirection.SendOnly, 4000, 4002));
        // The re-INVITE re-arms the session timer (a timer whose state is its callback) before it answers: held there,
        // the re-INVITE is still unanswered when its CANCEL comes.
        _clock.Arm((state, _) => state is Action);
        var reinvite = dialog.CreateRequest(SipMethods.Invite).WithBody("application/sdp", SiprecBodies.Offer(2, SdpDirection.SendOnly, 4000, 4002).ToBytes());

        var final = await CancelWhileHeldAsync(reinvite);

        Assert.Equal(487, final.StatusCode);
        var bye = await _src.SendAsync(dialog.CreateRequest(SipMethods.Bye), Srs);
        Assert.Equal(200, bye.StatusCode);
        await Poll.UntilAsync(() => _server.CompletedSessions.Count == 1, WaitLimit, "the BYE to finalize the session");
        Assert.True(_server.CompletedSessions.Single().Complete);
    }
}
