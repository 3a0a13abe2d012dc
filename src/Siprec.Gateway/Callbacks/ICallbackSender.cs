namespace Siprec.Gateway.Callbacks;

/// <summary>Port to the outside world for status callbacks: makes one HTTP request (one try; retries are the dispatcher's).</summary>
internal interface ICallbackSender
{
    /// <summary>Sends <paramref name="callback"/> once; true when the endpoint answered 2xx. Never throws for the endpoint's failures.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (shutdown).</exception>
    Task<CallbackAttempt> SendAsync(StatusCallback callback, CancellationToken cancellationToken);
}
