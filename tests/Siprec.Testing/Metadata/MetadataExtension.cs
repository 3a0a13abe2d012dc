namespace Siprec.Testing.Metadata;

/// <summary>
/// Our extension element (<c>urn:siprec-flownode:params:xml:ns:recording-ext</c>, child of <c>session</c>): the
/// correlation data of the request that started the recording (DESIGN §4.3).
/// </summary>
/// <param name="RecordingId">The caller-supplied recording ID.</param>
/// <param name="CallSid">The call SID.</param>
/// <param name="AccountSid">The account SID.</param>
/// <param name="ApplicationSid">The application SID.</param>
/// <param name="Parameters">Custom parameters (name, value), in document order.</param>
public sealed record MetadataExtension(string? RecordingId, string? CallSid, string? AccountSid, string? ApplicationSid,
    IReadOnlyList<KeyValuePair<string, string>> Parameters);
