namespace Siprec.Sip.Location;

/// <summary>One DNS SRV record (RFC 2782): lower priority first, weight shares load within a priority.</summary>
/// <param name="Priority">Lower is preferred.</param>
/// <param name="Weight">Relative share among records of the same priority.</param>
/// <param name="Port">The service port.</param>
/// <param name="Target">The host name providing the service, without the trailing dot; "." means "not available here".</param>
public sealed record SrvRecord(ushort Priority, ushort Weight, ushort Port, string Target);
