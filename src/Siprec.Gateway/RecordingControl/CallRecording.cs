using System.Collections.Immutable;
using Siprec.Control;
using Siprec.Recording;

namespace Siprec.Gateway.RecordingControl;

/// <summary>
/// One SIPREC session of a call as the controller holds it (DESIGN §2: REST and TwiML/TeXML may hold several per call, the
/// node/INFO path one): the SRC's <see cref="RecordingSession"/>, the resource SID it reports to, who started it, how many
/// forked streams it uses of the call's budget, whether it is required, and its events.
/// </summary>
internal sealed class CallRecording
{
    private ImmutableList<RecordingEvent> _events = [];
    private int _required;
    private int _startOver;

    /// <param name="session">The session (new, not started).</param>
    /// <param name="sid">The resource SID (<c>SR</c> + 32 hex) given to the start.</param>
    /// <param name="name">The session's name; null for none.</param>
    /// <param name="origin">Who started it.</param>
    /// <param name="track">Which legs it records (both tracks use two streams of the budget).</param>
    public CallRecording(RecordingSession session, string sid, string? name, RecordingOrigin origin, RecordingTrack track)
    {
        Session = session;
        Sid = sid;
        Name = name;
        Origin = origin;
        Streams = track == RecordingTrack.BothTracks ? 2 : 1;
    }

    /// <summary>The SRC's session.</summary>
    public RecordingSession Session { get; }

    /// <summary>The resource SID.</summary>
    public string Sid { get; }

    /// <summary>The session's name; null for none.</summary>
    public string? Name { get; }

    /// <summary>Who started it.</summary>
    public RecordingOrigin Origin { get; }

    /// <summary>Forked streams it uses of the call's budget: 2 for both tracks, else 1 (Twilio counts the same way).</summary>
    public int Streams { get; }

    /// <summary>
    /// True while it holds its streams: from the moment its start is claimed until the start failed or the session stopped
    /// or failed. A start that has not yet begun counts, so two concurrent starts cannot both fit into the last place.
    /// </summary>
    public bool IsActive => Volatile.Read(ref _startOver) == 0 && Session.State is not (RecordingState.Stopped or RecordingState.Failed);

    /// <summary>Whether a failure of this session must end the call (armed when its start succeeded; off after a stop).</summary>
    public bool IsRequired => Volatile.Read(ref _required) == 1;

    /// <summary>Every event the session raised, in order.</summary>
    public IReadOnlyList<RecordingEvent> Events => Volatile.Read(ref _events);

    /// <summary>Arms or disarms the recording-required policy for this session.</summary>
    public void Require(bool required) => Volatile.Write(ref _required, required ? 1 : 0);

    /// <summary>The start did not succeed: the session no longer holds streams (a retry is a new session).</summary>
    public void StartFailed() => Volatile.Write(ref _startOver, 1);

    /// <summary>Keeps an event of the session.</summary>
    public void Add(RecordingEvent recordingEvent) => ImmutableInterlocked.Update(ref _events, static (list, e) => list.Add(e), recordingEvent);

    /// <summary>True when <paramref name="sidOrName"/> is this session's SID or name.</summary>
    public bool Is(string sidOrName) => Sid == sidOrName || (Name is not null && Name == sidOrName);
}
