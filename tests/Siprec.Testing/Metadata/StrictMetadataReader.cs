using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Siprec.Testing.Metadata;

/// <summary>
/// Reads RFC 7865 metadata (<c>application/rs-metadata+xml</c>) and the RFC 7866 §9.2 snapshot request
/// (<c>application/rs-metadata-request</c>), checking the RFC 7865 §9 schema rules: element order and
/// cardinality, base64 16-byte IDs, <c>xs:dateTime</c> in UTC with <c>Z</c>, and, in a complete snapshot,
/// that every reference resolves. Never throws on input; the error names the element and the value.
/// </summary>
public static partial class StrictMetadataReader
{
    // Stated here, not read from the product's writer, so a wrong namespace in the writer fails the tests.
    private static readonly XNamespace Ns = "urn:ietf:params:xml:ns:recording:1"; // RFC 7865 §9
    private static readonly XNamespace Ext = "urn:siprec-flownode:params:xml:ns:recording-ext";

    private static readonly string[] RootOrder =
        ["datamode", "group", "session", "participant", "stream", "sessionrecordingassoc", "participantsessionassoc", "participantstreamassoc"];

    /// <summary>Parses and validates a <c>recording</c> document; leading whitespace and a byte-order mark are skipped.</summary>
    /// <returns>False, with <paramref name="error"/> saying what and where, when the input is not valid RFC 7865 metadata.</returns>
    public static bool TryRead(ReadOnlySpan<byte> xml, out RecordingMetadataDocument? document, out string? error)
    {
        document = null;
        try
        {
            var root = Load(xml);
            if (root.Name != Ns + "recording")
                throw Invalid($"root element is <{root.Name.LocalName}> in '{root.Name.NamespaceName}', not <recording> in '{Ns.NamespaceName}'");
            document = ReadRecording(root);
            error = null;
            return true;
        }
        catch (MetadataException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Parses an RFC 7866 §9.2 snapshot request (root <c>requestsnapshot</c>, optional <c>requestreason</c>).</summary>
    /// <returns>False, with <paramref name="error"/>, when the input is not a snapshot request.</returns>
    public static bool TryReadSnapshotRequest(ReadOnlySpan<byte> xml, out string? reason, out string? error)
    {
        reason = null;
        try
        {
            var root = Load(xml);
            if (root.Name != Ns + "requestsnapshot")
                throw Invalid($"root element is <{root.Name.LocalName}>, not <requestsnapshot> in '{Ns.NamespaceName}'");
            var children = Walk(root, ["requestreason"]);
            reason = Optional(children, "requestreason")?.Value.Trim();
            error = null;
            return true;
        }
        catch (MetadataException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    private static XElement Load(ReadOnlySpan<byte> xml)
    {
        var start = 0;
        if (xml.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            start = 3;
        while (start < xml.Length && xml[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            start++;
        if (start == xml.Length)
            throw Invalid("the metadata body is empty");
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 1_000_000 };
        try
        {
            using var stream = new MemoryStream(xml[start..].ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, settings);
            return XDocument.Load(reader, LoadOptions.SetLineInfo).Root ?? throw Invalid("no root element");
        }
        catch (XmlException ex)
        {
            throw Invalid($"not well-formed XML: {ex.Message}");
        }
    }

    private static RecordingMetadataDocument ReadRecording(XElement root)
    {
        var children = Walk(root, RootOrder);
        var mode = Optional(children, "datamode")?.Value.Trim() switch
        {
            null or "complete" => MetadataDataMode.Complete,
            "partial" => MetadataDataMode.Partial,
            var other => throw Invalid($"<datamode> must be 'complete' or 'partial', was '{other}'"),
        };

        var groups = Many(children, "group").Select(e =>
        {
            var c = Walk(e, ["associate-time", "disassociate-time"]);
            return new MetadataGroup(Id(e, "group_id"), Time(Optional(c, "associate-time")), Time(Optional(c, "disassociate-time")));
        }).ToList();
        var sessions = Many(children, "session").Select(ReadSession).ToList();
        var participants = Many(children, "participant").Select(e =>
        {
            var c = Walk(e, ["nameID"], maxOnce: false);
            var names = Many(c, "nameID").Select(n =>
            {
                var nc = Walk(n, ["name"], maxOnce: false);
                var aor = n.Attribute("aor")?.Value ?? throw Invalid($"<nameID> of participant {e.Attribute("participant_id")?.Value} has no aor attribute");
                return new MetadataNameId(aor, Many(nc, "name").FirstOrDefault()?.Value);
            }).ToList();
            return new StrictMetadataParticipant(Id(e, "participant_id"), names);
        }).ToList();
        var streams = Many(children, "stream").Select(e =>
        {
            var c = Walk(e, ["label", "content-type"]);
            var label = Optional(c, "label")?.Value.Trim();
            if (string.IsNullOrEmpty(label))
                throw Invalid($"<stream stream_id='{e.Attribute("stream_id")?.Value}'> has no <label>");
            return new StrictMetadataStream(Id(e, "stream_id"), Id(e, "session_id"), label);
        }).ToList();
        var recordingAssocs = Many(children, "sessionrecordingassoc").Select(e =>
        {
            var c = Walk(e, ["associate-time", "disassociate-time"]);
            return new MetadataSessionRecordingAssociation(Id(e, "session_id"), Time(Optional(c, "associate-time")), Time(Optional(c, "disassociate-time")));
        }).ToList();
        var participantSessions = Many(children, "participantsessionassoc").Select(e =>
        {
            var c = Walk(e, ["associate-time", "disassociate-time"]);
            return new MetadataParticipantSessionAssociation(Id(e, "participant_id"), Id(e, "session_id"),
                Time(Optional(c, "associate-time")), Time(Optional(c, "disassociate-time")));
        }).ToList();
        var participantStreams = Many(children, "participantstreamassoc").Select(e =>
        {
            var c = Walk(e, ["send", "recv"], maxOnce: false);
            return new MetadataParticipantStreamAssociation(Id(e, "participant_id"),
                Many(c, "send").Select(s => IdValue(s)).ToList(), Many(c, "recv").Select(r => IdValue(r)).ToList());
        }).ToList();

        var document = new RecordingMetadataDocument(mode, groups, sessions, participants, streams, recordingAssocs, participantSessions, participantStreams);
        if (mode == MetadataDataMode.Complete)
            CheckReferences(document);
        return document;
    }

    private static MetadataSession ReadSession(XElement e)
    {
        var c = Walk(e, ["sipSessionID", "group-ref", "start-time", "stop-time"], maxOnce: true, repeatable: ["sipSessionID"]);
        var groupRef = Optional(c, "group-ref");
        var extension = e.Elements(Ext + "extensiondata").FirstOrDefault() is { } x ? ReadExtension(x) : null;
        return new MetadataSession(Id(e, "session_id"), Many(c, "sipSessionID").Select(s => s.Value.Trim()).ToList(),
            groupRef is null ? null : IdValue(groupRef), Time(Optional(c, "start-time")), Time(Optional(c, "stop-time")), extension);
    }

    private static MetadataExtension ReadExtension(XElement x) => new(
        x.Element(Ext + "recordingId")?.Value, x.Element(Ext + "callSid")?.Value, x.Element(Ext + "accountSid")?.Value,
        x.Element(Ext + "applicationSid")?.Value,
        x.Elements(Ext + "parameter").Select(p => new KeyValuePair<string, string>(p.Attribute("name")?.Value ?? "", p.Value)).ToList());

    private static void CheckReferences(RecordingMetadataDocument d)
    {
        var groups = Unique(d.Groups.Select(g => g.GroupId), "group_id");
        var sessions = Unique(d.Sessions.Select(s => s.SessionId), "session_id");
        var participants = Unique(d.Participants.Select(p => p.ParticipantId), "participant_id");
        var streams = Unique(d.Streams.Select(s => s.StreamId), "stream_id");
        foreach (var s in d.Sessions.Where(s => s.GroupRef is not null))
            Resolve(groups, s.GroupRef!, $"<session session_id='{s.SessionId}'> <group-ref>");
        foreach (var s in d.Streams)
            Resolve(sessions, s.SessionId, $"<stream stream_id='{s.StreamId}'> session_id");
        foreach (var a in d.SessionRecordingAssociations)
            Resolve(sessions, a.SessionId, "<sessionrecordingassoc> session_id");
        foreach (var a in d.ParticipantSessionAssociations)
        {
            Resolve(participants, a.ParticipantId, "<participantsessionassoc> participant_id");
            Resolve(sessions, a.SessionId, "<participantsessionassoc> session_id");
        }

        foreach (var a in d.ParticipantStreamAssociations)
        {
            Resolve(participants, a.ParticipantId, "<participantstreamassoc> participant_id");
            foreach (var id in a.Send.Concat(a.Recv))
                Resolve(streams, id, $"<participantstreamassoc participant_id='{a.ParticipantId}'> send/recv");
        }
    }

    private static HashSet<string> Unique(IEnumerable<string> ids, string what)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (!set.Add(id))
                throw Invalid($"{what} '{id}' appears twice in a complete snapshot");
        }

        return set;
    }

    private static void Resolve(HashSet<string> known, string id, string where)
    {
        if (!known.Contains(id))
            throw Invalid($"{where} '{id}' refers to nothing in the snapshot");
    }

    /// <summary>
    /// Groups the RFC 7865 children of <paramref name="parent"/>: they must come in <paramref name="order"/>, each at
    /// most once unless repeatable; elements of other namespaces (extensions) only after them; unknown RFC 7865 names are errors.
    /// </summary>
    private static Dictionary<string, List<XElement>> Walk(XElement parent, string[] order, bool maxOnce = true, string[]? repeatable = null)
    {
        var result = new Dictionary<string, List<XElement>>(StringComparer.Ordinal);
        var position = -1;
        var sawExtension = false;
        var isRoot = parent.Name == Ns + "recording";
        foreach (var child in parent.Elements())
        {
            if (child.Name.Namespace != Ns)
            {
                sawExtension = true;
                continue;
            }

            var name = child.Name.LocalName;
            var index = Array.IndexOf(order, name);
            if (index < 0)
                throw Invalid($"<{name}> is not allowed in <{parent.Name.LocalName}>{At(child)}");
            if (sawExtension)
                throw Invalid($"<{name}> comes after an extension element in <{parent.Name.LocalName}>{At(child)}; RFC 7865 elements come first");
            if (index < position)
                throw Invalid($"<{name}> comes after <{order[position]}> in <{parent.Name.LocalName}>{At(child)}; RFC 7865 order is {string.Join(", ", order)}");
            var once = isRoot ? name == "datamode" : maxOnce && (repeatable is null || !repeatable.Contains(name));
            if (index == position && once)
                throw Invalid($"<{name}> appears more than once in <{parent.Name.LocalName}>{At(child)}");
            position = index;
            if (!result.TryGetValue(name, out var list))
                result[name] = list = [];
            list.Add(child);
        }

        return result;
    }

    private static XElement? Optional(Dictionary<string, List<XElement>> children, string name) =>
        children.TryGetValue(name, out var list) ? list[0] : null;

    private static IEnumerable<XElement> Many(Dictionary<string, List<XElement>> children, string name) =>
        children.TryGetValue(name, out var list) ? list : [];

    private static string Id(XElement element, string attribute)
    {
        var value = element.Attribute(attribute)?.Value
            ?? throw Invalid($"<{element.Name.LocalName}> has no {attribute} attribute{At(element)}");
        return CheckId(value.Trim(), $"<{element.Name.LocalName}> {attribute}", element);
    }

    private static string IdValue(XElement element) => CheckId(element.Value.Trim(), $"<{element.Name.LocalName}>", element);

    private static string CheckId(string value, string where, XElement element)
    {
        Span<byte> bytes = stackalloc byte[24];
        if (!Convert.TryFromBase64String(value, bytes, out var length) || length != 16)
            throw Invalid($"{where} '{value}' is not base64 of a 16-byte UUID (RFC 7865 §6){At(element)}");
        return value;
    }

    private static DateTimeOffset? Time(XElement? element)
    {
        if (element is null)
            return null;
        var value = element.Value.Trim();
        if (!UtcTime().IsMatch(value) || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            throw Invalid($"<{element.Name.LocalName}> '{value}' is not an xs:dateTime in UTC ending in Z{At(element)}");
        return time;
    }

    private static string At(XElement element) =>
        element is IXmlLineInfo info && info.HasLineInfo() ? $" (line {info.LineNumber})" : "";

    private static MetadataException Invalid(string message) => new(message);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$", RegexOptions.CultureInvariant)]
    private static partial Regex UtcTime();

    private sealed class MetadataException(string message) : Exception(message);
}
