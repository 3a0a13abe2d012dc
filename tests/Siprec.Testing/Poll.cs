namespace Siprec.Testing;

/// <summary>
/// Bounded polling for what another thread (an RTP loop, the SIP layer, an HTTP listener) makes true: a wait that
/// fails the test with a named <see cref="TimeoutException"/>, never a timing assertion.
/// </summary>
public static class Poll
{
    /// <summary>The pause between two looks at the condition: 20 ms.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Returns once <paramref name="condition"/> holds. While it does not, runs <paramref name="eachRound"/> (e.g. send
    /// one more RTP packet) and pauses <see cref="Interval"/> before looking again.
    /// </summary>
    /// <param name="condition">What to wait for; called on the caller's context, must not block.</param>
    /// <param name="bound">How long it may take in all.</param>
    /// <param name="what">What is awaited, for the failure text, e.g. <c>caller RTP at the SRS</c>.</param>
    /// <param name="eachRound">What to do before every pause; null for nothing.</param>
    /// <param name="cancellationToken">Ends the wait early with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="TimeoutException"><paramref name="condition"/> still did not hold after <paramref name="bound"/>; the text names <paramref name="what"/>.</exception>
    public static Task UntilAsync(Func<bool> condition, TimeSpan bound, string what, Action? eachRound = null,
        CancellationToken cancellationToken = default) =>
        UntilAsync(() =>
        {
            if (condition()) return Task.FromResult(true);
            eachRound?.Invoke();
            return Task.FromResult(false);
        }, bound, what, cancellationToken);

    /// <summary>
    /// Returns once <paramref name="condition"/> completes with true, e.g. a REST fetch that shows a value; otherwise as
    /// <see cref="UntilAsync(Func{bool}, TimeSpan, string, Action?, CancellationToken)"/>. A look in progress when the
    /// bound passes completes first.
    /// </summary>
    /// <exception cref="TimeoutException"><paramref name="condition"/> still did not hold after <paramref name="bound"/>; the text names <paramref name="what"/>.</exception>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan bound, string what, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(bound);
        while (!await condition())
        {
            try
            {
                await Task.Delay(Interval, limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"timed out after {bound} waiting for {what}");
            }
        }
    }
}
