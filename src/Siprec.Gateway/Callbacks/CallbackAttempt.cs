namespace Siprec.Gateway.Callbacks;

/// <summary>How one callback request went.</summary>
/// <param name="Delivered">True for a 2xx answer.</param>
/// <param name="Detail">The HTTP status (e.g. <c>500 InternalServerError</c>) or the transport error, for the log line.</param>
internal sealed record CallbackAttempt(bool Delivered, string Detail);
