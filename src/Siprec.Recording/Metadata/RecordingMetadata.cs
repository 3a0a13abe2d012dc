using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Siprec.Control;
using Siprec.Sip.Messages;

namespace Siprec.Recording.Metadata;

/// <summary>
/// Builds the RFC 7865 metadata of one call's recording: complete snapshots (RFC 7865 §6, RFC 7866 §7.1.1) and
/// partial updates when a participant changes or stops sending (hold). IDs are fixed for the recording's life, so
/// every dialog and every later document names the same group, session, participants and streams. Thread-safe.
/// </summary>
public sealed class RecordingMetadata
{
    /// <summary>The RFC 7865 namespace.</summary>
    public static readonly XNamespace Namespace = "urn:ietf:params:xml:ns:recording:1";

    /// <summary>Our extension namespace for the recording ID, the SIDs and custom parameters.</summary>
    public static readonly XNamespace ExtensionNamespace = "urn:siprec-flownode:params:xml:ns:recording-ext";

    /// <summary>The MIME type of a metadata part (RFC 7866 §9.1).</summary>
    public const string ContentType = "application/rs-metadata+xml";

    /// <summary>The MIME type of an SRS snapshot request (RFC 7866 §9.2).</summary>
    public const string SnapshotRequestContentType = "application/rs-metadata-request";

    /// <summary>The label of the caller's stream (inbound track).</summary>
    public const string CallerLabel = "1";

    /// <summary>The label of the bot's stream (outbound track).</summary>
    public const string BotLabel = "2";

    private static readonly XNamespace Ns = Namespace;
    private readonly object _gate = new();
    private readonly RecordedCall _call;
    private readonly RecordingControlRequest _request;
    private readonly Party[] _parties;

    /// <summary>Creates fresh IDs for the call's recording.</summary>
    /// <param name="call">The recorded call (participants, start time, Call-ID).</param>
    /// <param name="request">The start request: recording ID, SIDs and custom parameters for the extension element.</param>
    /// <param name="track">Which streams exist (one or two).</param>
    public RecordingMetadata(RecordedCall call, RecordingControlRequest request, RecordingTrack track = RecordingTrack.BothTracks)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        _call = call;
        _request = request;
        Track = track;
        SipSessionId = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(call.CallId)).AsSpan(0, 16));
        _parties =
        [
            new Party(NewId(), call.Caller, track.Includes(CallParty.Caller) ? NewId() : null, CallerLabel),
            new Party(NewId(), call.Callee, track.Includes(CallParty.Bot) ? NewId() : null, BotLabel),
        ];
    }

    /// <summary>Which streams the recording has.</summary>
    public RecordingTrack Track { get; }

    /// <summary>The group ID (base64 of 16 random bytes).</summary>
    public string GroupId { get; } = NewId();

    /// <summary>The communication session ID.</summary>
    public string SessionId { get; } = NewId();

    /// <summary>An RFC 7989 style Session-ID (32 lower-case hex) derived from the call's Call-ID.</summary>
    public string SipSessionId { get; }

    /// <summary>The labels of the recorded streams in m-line order: <c>1</c> (caller) and/or <c>2</c> (bot).</summary>
    public IReadOnlyList<string> Labels => _parties.Where(p => p.StreamId is not null).Select(p => p.Label).ToArray();

    /// <summary>The current participant ID of a party (changes when the party is replaced).</summary>
    public string ParticipantId(CallParty party)
    {
        lock (_gate) return _parties[(int)party].Id;
    }

    /// <summary>The stream ID of a party's recorded stream; null when the track does not record it.</summary>
    public string? StreamId(CallParty party) => _parties[(int)party].StreamId;

    /// <summary>Builds a complete snapshot (RFC 7865 §6) as UTF-8 bytes without a byte-order mark.</summary>
    public byte[] BuildSnapshot(DateTimeOffset now)
    {
        var time = FormatTime(now);
        lock (_gate)
        {
            var recording = new XElement(Ns + "recording",
                new XElement(Ns + "datamode", "complete"),
                new XElement(Ns + "group", new XAttribute("group_id", GroupId), new XElement(Ns + "associate-time", time)),
                new XElement(Ns + "session", new XAttribute("session_id", SessionId),
                    new XElement(Ns + "sipSessionID", SipSessionId),
                    new XElement(Ns + "group-ref", GroupId),
                    new XElement(Ns + "start-time", FormatTime(_call.StartedAt)),
                    BuildExtension()),
                _parties.Select(ParticipantElement),
                _parties.Where(p => p.StreamId is not null).Select(p => StreamElement(p.StreamId!, p.Label)),
                new XElement(Ns + "sessionrecordingassoc", new XAttribute("session_id", SessionId), new XElement(Ns + "associate-time", time)),
                _parties.Select(p => ParticipantSession(p.Id, p.JoinedAt is { } joined ? FormatTime(joined) : time, null)),
                _parties.Select(StreamAssociation));
            return Serialize(recording);
        }
    }

    /// <summary>
    /// Records that a party stopped (hold) or started again sending, and returns the RFC 7865 §8.2 partial update that
    /// says so (its <c>participantstreamassoc</c> without <c>send</c> while on hold); null when nothing changed.
    /// </summary>
    public byte[]? SetOnHold(CallParty party, bool onHold)
    {
        lock (_gate)
        {
            var p = _parties[(int)party];
            if (p.OnHold == onHold)
                return null;
            p.OnHold = onHold;
            return Serialize(new XElement(Ns + "recording",
                new XElement(Ns + "datamode", "partial"),
                _parties.Select(StreamAssociation)));
        }
    }

    /// <summary>True while a party is on hold (not sending).</summary>
    public bool IsOnHold(CallParty party)
    {
        lock (_gate) return _parties[(int)party].OnHold;
    }

    /// <summary>
    /// Replaces a party by a new participant (e.g. the call was transferred) and returns the partial update: the old
    /// participant disassociated from the session, the new one with its <c>nameID</c>, session and stream associations.
    /// </summary>
    public byte[] ReplaceParticipant(CallParty party, NameAddress address, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(address);
        var time = FormatTime(now);
        lock (_gate)
        {
            var old = _parties[(int)party];
            var replacement = new Party(NewId(), address, old.StreamId, old.Label) { OnHold = old.OnHold, JoinedAt = now };
            _parties[(int)party] = replacement;
            return Serialize(new XElement(Ns + "recording",
                new XElement(Ns + "datamode", "partial"),
                ParticipantElement(replacement),
                ParticipantSession(old.Id, null, time),
                ParticipantSession(replacement.Id, time, null),
                _parties.Select(StreamAssociation)));
        }
    }

    /// <summary>RFC 7865 times: <c>xs:dateTime</c> in UTC with <c>Z</c>, millisecond precision.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static byte[] Serialize(XElement recording)
    {
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, NewLineChars = "\r\n" };
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, settings))
            new XDocument(new XDeclaration("1.0", "UTF-8", null), recording).Save(writer);
        return buffer.ToArray();
    }

    private XElement BuildExtension()
    {
        var ns = ExtensionNamespace;
        var ext = new XElement(ns + "extensiondata");
        AddIfPresent(ext, ns + "recordingId", _request.RecordingId);
        AddIfPresent(ext, ns + "callSid", _request.CallSid);
        AddIfPresent(ext, ns + "accountSid", _request.AccountSid);
        AddIfPresent(ext, ns + "applicationSid", _request.ApplicationSid);
        // The INFO's and verb's custom headers always travel here (DESIGN §4.3); REST/TwiML Parameters only when Telnyx's
        // IncludeMetadataCustomHeaders asks for it (else they are SIP headers on the INVITE).
        var parameters = _request.IncludeMetadataCustomHeaders ? _request.CustomHeaders.Concat(_request.Parameters) : _request.CustomHeaders;
        foreach (var (name, value) in parameters)
            ext.Add(new XElement(ns + "parameter", new XAttribute("name", XmlSafe(name)), XmlSafe(value)));

        return ext;
    }

    private static void AddIfPresent(XElement parent, XName name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            parent.Add(new XElement(name, XmlSafe(value)));
    }

    private static XElement ParticipantElement(Party p)
    {
        var nameId = new XElement(Ns + "nameID", new XAttribute("aor", XmlSafe(p.Address.Uri.ToString())));
        if (!string.IsNullOrEmpty(p.Address.DisplayName))
            nameId.Add(new XElement(Ns + "name", XmlSafe(p.Address.DisplayName)));
        return new XElement(Ns + "participant", new XAttribute("participant_id", p.Id), nameId);
    }

    private XElement StreamElement(string id, string label) =>
        new(Ns + "stream", new XAttribute("stream_id", id), new XAttribute("session_id", SessionId), new XElement(Ns + "label", label));

    private XElement ParticipantSession(string participantId, string? associated, string? disassociated) =>
        new(Ns + "participantsessionassoc", new XAttribute("participant_id", participantId), new XAttribute("session_id", SessionId),
            associated is null ? null : new XElement(Ns + "associate-time", associated),
            disassociated is null ? null : new XElement(Ns + "disassociate-time", disassociated));

    // A party sends its own stream (unless on hold) and receives the other party's.
    private XElement StreamAssociation(Party p)
    {
        var other = _parties.First(o => !ReferenceEquals(o, p));
        return new XElement(Ns + "participantstreamassoc", new XAttribute("participant_id", p.Id),
            p.StreamId is not null && !p.OnHold ? new XElement(Ns + "send", p.StreamId) : null,
            other.StreamId is not null ? new XElement(Ns + "recv", other.StreamId) : null);
    }

    private static string NewId() => Convert.ToBase64String(Guid.NewGuid().ToByteArray());

    // XML 1.0 cannot carry most control characters even escaped; wire-supplied text must never make the writer throw.
    private static string XmlSafe(string value)
    {
        if (value.All(XmlConvert.IsXmlChar))
            return value;
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (i + 1 < value.Length && XmlConvert.IsXmlSurrogatePair(value[i + 1], value[i]))
                sb.Append(value, i++, 2);
            else
                sb.Append(XmlConvert.IsXmlChar(value[i]) ? value[i] : '\uFFFD');
        }

        return sb.ToString();
    }

    private sealed class Party(string id, NameAddress address, string? streamId, string label)
    {
        public string Id { get; } = id;

        public NameAddress Address { get; } = address;

        public string? StreamId { get; } = streamId;

        public string Label { get; } = label;

        public bool OnHold { get; set; }

        public DateTimeOffset? JoinedAt { get; init; }
    }
}
