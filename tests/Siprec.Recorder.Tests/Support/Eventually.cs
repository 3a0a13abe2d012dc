namespace Siprec.Recorder.Tests.Support;

/// <summary>Bounded polling for what another thread (an RTP loop, the SIP layer) makes true; never a timing assertion.</summary>
internal static class Eventually
{
    /// <summary>How long any wait may take before the test fails.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>Returns once <paramref name="condition"/> holds; fails naming <paramref name="what"/> after <see cref="Limit"/>.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        using var limit = new CancellationTokenSource(Limit);
        while (!condition())
        {
            Assert.False(limit.IsCancellationRequested, $"timed out waiting for {what}");
            await Task.Delay(10, CancellationToken.None);
        }
    }
}
