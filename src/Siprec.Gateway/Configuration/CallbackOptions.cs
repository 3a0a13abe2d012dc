namespace Siprec.Gateway.Configuration;

/// <summary>How status callbacks (DESIGN §4.4) are delivered.</summary>
/// <remarks>
/// Defaults: at most 3 tries, the second 1 s after the first failure and each later one twice as late, 5 s per try,
/// 1024 queued callbacks (more are dropped and logged), 4 deliveries at a time.
/// </remarks>
public sealed record CallbackOptions
{
    /// <summary>Tries per callback, the first included (1–10).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Wait before the second try; doubled for each later one.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one HTTP request may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Callbacks that may wait for delivery; beyond it new ones are dropped (never blocking a call).</summary>
    public int QueueCapacity { get; init; } = 1024;

    /// <summary>Callbacks delivered at the same time.</summary>
    public int MaxConcurrentDeliveries { get; init; } = 4;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (MaxAttempts is < 1 or > 10)
            throw new ArgumentException($"Callbacks.MaxAttempts must be 1..10, was {MaxAttempts}.", nameof(MaxAttempts));
        if (FirstRetryDelay < TimeSpan.Zero)
            throw new ArgumentException($"Callbacks.FirstRetryDelay must not be negative, was {FirstRetryDelay}.", nameof(FirstRetryDelay));
        if (RequestTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"Callbacks.RequestTimeout must be positive, was {RequestTimeout}.", nameof(RequestTimeout));
        if (QueueCapacity < 1)
            throw new ArgumentException($"Callbacks.QueueCapacity must be at least 1, was {QueueCapacity}.", nameof(QueueCapacity));
        if (MaxConcurrentDeliveries < 1)
            throw new ArgumentException($"Callbacks.MaxConcurrentDeliveries must be at least 1, was {MaxConcurrentDeliveries}.", nameof(MaxConcurrentDeliveries));
    }
}
