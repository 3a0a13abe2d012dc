namespace Siprec.Recorder.Metadata;

/// <summary>What the SRS kept from one RFC 7865 metadata document; <see cref="Error"/> is set when it could not be read.</summary>
internal sealed record RecordingMetadata(
    string? Namespace,
    string? DataMode,
    string? SessionId,
    string? SipSessionId,
    IReadOnlyList<MetadataParticipant> Participants,
    IReadOnlyList<MetadataStream> Streams,
    IReadOnlyDictionary<string, string> Extensions,
    string? Error)
{
    /// <summary>A document that could not be read: nothing but the reason.</summary>
    public static RecordingMetadata Failed(string error) =>
        new(null, null, null, null, [], [], new Dictionary<string, string>(), error);

    /// <summary>The SRC's recording ID from its extension element (DESIGN §4.3).</summary>
    public string? RecordingId => Extension("recordingid");

    /// <summary>The call SID from the SRC's extension element.</summary>
    public string? CallSid => Extension("callsid");

    /// <summary>The account SID from the SRC's extension element.</summary>
    public string? AccountSid => Extension("accountsid");

    /// <summary>The application SID from the SRC's extension element.</summary>
    public string? ApplicationSid => Extension("applicationsid");

    /// <summary>The participant whose <c>send</c> association names the stream with this label, if any.</summary>
    public MetadataParticipant? SenderOf(string label)
    {
        var stream = Streams.FirstOrDefault(s => s.Label == label && s.Id is not null);
        return stream is null ? null : Participants.FirstOrDefault(p => p.SendStreamIds.Contains(stream.Id!));
    }

    private string? Extension(string normalizedName)
    {
        foreach (var (name, value) in Extensions)
            if (RecordingMetadataReader.NormalizeName(name) == normalizedName) return value;
        return null;
    }
}
