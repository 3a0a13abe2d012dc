using System.Xml;
using System.Xml.Linq;

namespace Siprec.Recorder.Metadata;

/// <summary>
/// Tolerant reader of RFC 7865 recording metadata as real SRCs send it: the RFC namespace, the legacy
/// draft namespaces, or none; <c>id</c> or <c>participant_id</c> style attributes; extension elements in
/// any other namespace. Never throws: an unreadable document comes back with <see cref="RecordingMetadata.Error"/>.
/// </summary>
internal static class RecordingMetadataReader
{
    /// <summary>RFC 7865 §9 namespace.</summary>
    public const string Rfc7865Namespace = "urn:ietf:params:xml:ns:recording:1";

    private const int MaxExtensions = 64;
    private const int MaxDocumentCharacters = 1_000_000;

    private static readonly HashSet<string> RecordingNamespaces = new(StringComparer.Ordinal)
    {
        Rfc7865Namespace,
        "urn:ietf:params:xml:ns:recording",
        "urn:ietf:params:xml:ns:siprec",
        "",
    };

    /// <summary>Reads one metadata body (any encoding the XML declaration names, UTF-8 by default).</summary>
    public static RecordingMetadata Read(ReadOnlyMemory<byte> body)
    {
        XDocument document;
        try
        {
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = MaxDocumentCharacters,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
            };
            using var stream = new MemoryStream(TrimLeadingWhitespace(body).ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, settings);
            document = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException ex)
        {
            return RecordingMetadata.Failed($"metadata is not well-formed XML: {ex.Message}");
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IOException)
        {
            return RecordingMetadata.Failed($"metadata could not be read: {ex.Message}");
        }

        var root = document.Root;
        if (root is null) return RecordingMetadata.Failed("metadata has no root element");
        var rootNamespace = root.Name.NamespaceName;

        var dataMode = FirstRecording(root, "datamode")?.Value.Trim();
        var session = FirstRecording(root, "session");
        var sessionId = session is null ? null : Attribute(session, "session_id", "id");
        var sipSessionId = session is null ? null : Child(session, "sipSessionID")?.Value.Trim();

        var associations = ReadStreamAssociations(root);
        var participants = RecordingElements(root, "participant")
            .Select(p => ReadParticipant(p, associations))
            .ToList();
        var streams = RecordingElements(root, "stream")
            .Select(s => new MetadataStream(Attribute(s, "stream_id", "id"), NullIfBlank(Child(s, "label")?.Value)))
            .ToList();

        return new RecordingMetadata(
            rootNamespace,
            NullIfBlank(dataMode),
            sessionId,
            NullIfBlank(sipSessionId),
            participants,
            streams,
            ReadExtensions(root),
            null);
    }

    /// <summary>Lower-case name without '-' and '_' so <c>recordingID</c>, <c>recording-id</c> and <c>recordingId</c> compare equal.</summary>
    public static string NormalizeName(string name) =>
        string.Concat(name.Where(c => c != '-' && c != '_')).ToLowerInvariant();

    private static MetadataParticipant ReadParticipant(XElement participant, Dictionary<string, List<string>> associations)
    {
        var id = Attribute(participant, "participant_id", "id");
        var nameId = participant.Elements().FirstOrDefault(e => IsRecording(e, "nameID"));
        var aor = (string?)nameId?.Attribute("aor")
                  ?? participant.Descendants().FirstOrDefault(e => IsRecording(e, "aor"))?.Value;
        var name = nameId is not null ? Child(nameId, "name")?.Value : Child(participant, "name")?.Value;

        var sends = new List<string>();
        foreach (var send in participant.Elements().Where(e => IsRecording(e, "send")))
            AddStreamIds(send, sends);
        if (id is not null && associations.TryGetValue(id, out var associated))
            sends.AddRange(associated.Where(s => !sends.Contains(s)));

        return new MetadataParticipant(id, NullIfBlank(aor), NullIfBlank(name), sends);
    }

    private static Dictionary<string, List<string>> ReadStreamAssociations(XElement root)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var assoc in RecordingElements(root, "participantstreamassoc"))
        {
            var participantId = Attribute(assoc, "participant_id", "id");
            if (participantId is null) continue;
            if (!result.TryGetValue(participantId, out var list)) result[participantId] = list = [];
            foreach (var send in assoc.Elements().Where(e => IsRecording(e, "send")))
                AddStreamIds(send, list);
        }
        return result;
    }

    private static void AddStreamIds(XElement send, List<string> into)
    {
        // RFC 7865: <send>id</send>; BroadWorks draft: <send><id>id</id></send>.
        var ids = send.HasElements ? send.Elements().Select(e => e.Value) : [send.Value];
        foreach (var raw in ids)
            if (NullIfBlank(raw) is { } streamId && !into.Contains(streamId)) into.Add(streamId);
    }

    private static Dictionary<string, string> ReadExtensions(XElement root)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var element in root.Descendants())
        {
            if (result.Count >= MaxExtensions) break;
            if (RecordingNamespaces.Contains(element.Name.NamespaceName) || element.HasElements) continue;
            var value = NullIfBlank(element.Value);
            // <parameter name="X-Foo">bar</parameter> style extensions are keyed by their name attribute.
            var key = NullIfBlank((string?)element.Attribute("name")) ?? element.Name.LocalName;
            if (value is not null) result.TryAdd(key, value);
        }
        return result;
    }

    private static IEnumerable<XElement> RecordingElements(XElement root, string localName) =>
        root.Descendants().Where(e => IsRecording(e, localName));

    private static XElement? FirstRecording(XElement root, string localName) =>
        RecordingElements(root, localName).FirstOrDefault();

    private static XElement? Child(XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(e => IsRecording(e, localName));

    private static bool IsRecording(XElement element, string localName) =>
        RecordingNamespaces.Contains(element.Name.NamespaceName)
        && string.Equals(element.Name.LocalName, localName, StringComparison.OrdinalIgnoreCase);

    private static string? Attribute(XElement element, params string[] names)
    {
        foreach (var name in names)
            if (NullIfBlank((string?)element.Attribute(name)) is { } value) return value;
        return null;
    }

    private static string? NullIfBlank(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static ReadOnlySpan<byte> TrimLeadingWhitespace(ReadOnlyMemory<byte> body)
    {
        var span = body.Span;
        var start = 0;
        while (start < span.Length && span[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') start++;
        return span[start..];
    }
}
