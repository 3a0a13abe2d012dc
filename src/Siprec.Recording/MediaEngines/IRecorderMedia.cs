using System.Net;
using Siprec.Media.Forwarding;
using Siprec.Media.Srtp;
using Siprec.Sip.Sdp;

namespace Siprec.Recording.MediaEngines;

/// <summary>
/// The media of one recorder (one SRS) in a <see cref="IMediaEngine"/>, one stream per recorded leg in m-line order:
/// where the SRC's SDP points, the SRS's answer, pause and liveness. Thread-safe.
/// </summary>
public interface IRecorderMedia : IAsyncDisposable
{
    /// <summary>The address the SRC's SDP offers for media (<c>c=</c>).</summary>
    IPAddress Address { get; }

    /// <summary>The RTP port of each stream, in m-line order (RTCP on port + 1, or what the engine names).</summary>
    IReadOnlyList<int> Ports { get; }

    /// <summary>The SRC's SDES key per stream (RFC 4568 §5.1.1) for a secure recorder; null for plain RTP.</summary>
    IReadOnlyList<SdesCrypto>? Offered { get; }

    /// <summary>True once an answer gave at least one stream a destination (else the SRS declined everything).</summary>
    bool Receiving { get; }

    /// <summary>Applies the SRS's SDP answer (or its own offer), matched by m-line position.</summary>
    /// <exception cref="MediaEngineException">The engine refused the answer or did not answer.</exception>
    Task ApplyAnswerAsync(SdpSession answer, CancellationToken ct);

    /// <summary>Starts receiving the call's packets (the recorder was admitted).</summary>
    void Join();

    /// <summary>Stops receiving the call's packets (the recorder ended); idempotent.</summary>
    void Leave();

    /// <summary>
    /// Stops (or restarts) media to this SRS on every stream. The returned task completes once the engine applied it, so
    /// a pause's re-INVITE goes after the last packet; it never faults (a failure is logged and reported by <see cref="Watch"/>).
    /// </summary>
    Task SetPausedAsync(bool paused);

    /// <summary>
    /// Watches this recorder's media (ICMP port unreachable, RTCP silence; the engine's own death) and calls
    /// <paramref name="onFailure"/> once when it is gone. Dispose the result to stop watching.
    /// </summary>
    IDisposable Watch(TimeProvider time, SrcOptions options, Action<RecorderFailure> onFailure);

    /// <summary>Packets sent towards this recorder on stream <paramref name="index"/> (m-line order).</summary>
    long PacketsForwarded(int index);

    /// <summary>The recorder's latest RTCP receiver report on stream <paramref name="index"/>; null when none (or the engine does not relay them).</summary>
    RecorderReport? LatestRecorderReport(int index);
}
