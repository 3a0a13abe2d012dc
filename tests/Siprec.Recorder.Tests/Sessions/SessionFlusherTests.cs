using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Recorder.Sessions;
using Siprec.Recorder.Tests.Support;
using Siprec.Sip.Sdp;
using Siprec.Testing;

namespace Siprec.Recorder.Tests.Sessions;

/// <summary>
/// The recording server flushes every open session from one periodic tick (DESIGN §4.5 duties: WAV flush, sidecar refresh,
/// media timeout) instead of a timer per session, whose blocking file writes queued the SIP work on the thread pool.
/// </summary>
public sealed class SessionFlusherTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _output = new();
    private readonly TimerCountingTimeProvider _clock = new();
    private readonly ConcurrentQueue<RecordedSessionSummary> _completed = new();
    private RecordingServer _server = null!;
    private SrcPeer _src = null!;

    public async Task InitializeAsync()
    {
        _server = new RecordingServer(new RecordingServerOptions { OutputDirectory = _output.Path, MediaTimeout = TimeSpan.FromSeconds(30) },
            _clock, NullLoggerFactory.Instance);
        _server.SessionCompleted += _completed.Enqueue;
        await _server.StartAsync(CancellationToken.None);
        _src = SrcPeer.Start();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _src.DisposeAsync();
        _output.Dispose();
    }

    [Fact]
    public async Task ThreeSessions_AreWatchedByTheServersOneTick_WithNoTimerOfTheirOwn()
    {
        for (int i = 0; i < 3; i++) await _src.EstablishAsync(_server, SiprecBodies.Offer(1, SdpDirection.SendOnly, 4000 + 2 * i));
        Assert.Equal(3, _server.ActiveSessionCount);

        _clock.Advance(TimeSpan.FromSeconds(31)); // no RTP on any of them: the media timeout, judged on the flush tick

        await Poll.UntilAsync(() => _completed.Count == 3, Bound, "all three sessions ended by the media timeout");
        Assert.All(_completed, s => Assert.Equal("no RTP for 30 s", s.Reason));
        Assert.Equal(1, _clock.CreatedFor<SessionFlusher>());
        Assert.Equal(0, _clock.CreatedFor<RecorderSession>());
    }
}
