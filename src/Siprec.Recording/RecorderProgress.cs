using System.Collections.Immutable;

namespace Siprec.Recording;

/// <summary>
/// Which recorders have answered one pause, resume or stop so far (issue 11, nothing blocks on a recorder: a request
/// answered at its bound says which recorders confirmed and which are still pending). The session fills it as each
/// recorder answers; anyone may read it at any time. Thread-safe, lock-free.
/// </summary>
public sealed class RecorderProgress
{
    private ImmutableList<string> _expected = [];
    private ImmutableList<SrsOutcome> _answered = [];

    /// <summary>Every answer so far (accepted or not), in the order they came.</summary>
    public IReadOnlyList<SrsOutcome> Answered => Volatile.Read(ref _answered);

    /// <summary>The SRS URIs the operation sent a request to that have not answered yet (one entry per recorder).</summary>
    public IReadOnlyList<string> Pending
    {
        get
        {
            var pending = Volatile.Read(ref _expected).ToList();
            foreach (var answer in Answered)
            {
                var i = pending.FindIndex(u => string.Equals(u, answer.SrsUri, StringComparison.OrdinalIgnoreCase));
                if (i >= 0) pending.RemoveAt(i);
            }
            return pending;
        }
    }

    /// <summary>The recorders that confirmed (2xx) so far.</summary>
    public IReadOnlyList<SrsOutcome> Confirmed => Answered.Where(a => a.Kind == SrsOutcomeKind.Accepted).ToList();

    internal void Expect(IEnumerable<string> srsUris) => ImmutableInterlocked.Update(ref _expected, static (list, add) => list.AddRange(add), srsUris);

    internal void Report(SrsOutcome outcome) => ImmutableInterlocked.Update(ref _answered, static (list, add) => list.Add(add), outcome);

    /// <summary>
    /// Reports each outcome of <paramref name="requests"/> here as it comes, then to <paramref name="then"/> (the session's
    /// per-recorder event), and returns them all in request order.
    /// </summary>
    internal Task<SrsOutcome[]> TrackAll(IEnumerable<Task<SrsOutcome>> requests, Action<SrsOutcome>? then = null) =>
        Task.WhenAll(requests.Select(r => TrackAsync(r, then)));

    private async Task<SrsOutcome> TrackAsync(Task<SrsOutcome> request, Action<SrsOutcome>? then)
    {
        var outcome = await request.ConfigureAwait(false);
        Report(outcome);
        then?.Invoke(outcome);
        return outcome;
    }
}
