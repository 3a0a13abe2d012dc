namespace Siprec.Recorder.Metadata;

/// <summary>An RFC 7865 §6.6 stream: its identifier and the SDP label it is bound to.</summary>
internal sealed record MetadataStream(string? Id, string? Label);
