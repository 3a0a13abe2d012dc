using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Siprec.Control;

namespace Siprec.Recording.Metadata;

/// <summary>
/// The RFC 7865 model of one recording: identifiers fixed for its whole life, so every recording dialog and
/// every later snapshot of the same call names the same group, session, participants and streams.
/// </summary>
internal sealed class RecordingMetadata
{
    /// <summary>The RFC 7865 namespace.</summary>
    public static readonly XNamespace Ns = "urn:ietf:params:xml:ns:recording:1";

    /// <summary>Our extension namespace for the recording ID, the SIDs and custom parameters.</summary>
    public static readonly XNamespace ExtensionNs = "urn:siprec-flownode:params:xml:ns:recording-ext";

    /// <summary>The MIME type of the metadata part (RFC 7866 §9.1).</summary>
    public const string ContentType = "application/rs-metadata+xml";

    private readonly RecordedCall _call;
    private readonly RecordingControlRequest _request;

    /// <summary>Creates fresh IDs for the call's recording.</summary>
    public RecordingMetadata(RecordedCall call, RecordingControlRequest request)
    {
        _call = call;
        _request = request;
        SipSessionId = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(call.CallId)).AsSpan(0, 16));
    }

    /// <summary>The group ID (base64 of 16 random bytes).</summary>
    public string GroupId { get; } = NewId();

    /// <summary>The communication session ID.</summary>
    public string SessionId { get; } = NewId();

    /// <summary>The caller participant's ID.</summary>
    public string CallerParticipantId { get; } = NewId();

    /// <summary>The bot participant's ID.</summary>
    public string BotParticipantId { get; } = NewId();

    /// <summary>The stream ID for label 1 (caller).</summary>
    public string CallerStreamId { get; } = NewId();

    /// <summary>The stream ID for label 2 (bot).</summary>
    public string BotStreamId { get; } = NewId();

    /// <summary>An RFC 7989 style Session-ID (32 lower-case hex) derived from the call's Call-ID.</summary>
    public string SipSessionId { get; }

    /// <summary>Builds a complete snapshot (RFC 7865 §6) as UTF-8 bytes without a byte-order mark.</summary>
    public byte[] BuildSnapshot(DateTimeOffset now, string callerLabel, string botLabel)
    {
        var time = FormatTime(now);
        var recording = new XElement(Ns + "recording",
            new XElement(Ns + "datamode", "complete"),
            new XElement(Ns + "group", new XAttribute("group_id", GroupId),
                new XElement(Ns + "associate-time", time)),
            new XElement(Ns + "session", new XAttribute("session_id", SessionId),
                new XElement(Ns + "sipSessionID", SipSessionId),
                new XElement(Ns + "group-ref", GroupId),
                new XElement(Ns + "start-time", FormatTime(_call.StartedAt)),
                BuildExtension()),
            Participant(CallerParticipantId, _call.Caller.Uri.ToString(), _call.Caller.DisplayName),
            Participant(BotParticipantId, _call.Callee.Uri.ToString(), _call.Callee.DisplayName),
            Stream(CallerStreamId, callerLabel),
            Stream(BotStreamId, botLabel),
            new XElement(Ns + "sessionrecordingassoc", new XAttribute("session_id", SessionId),
                new XElement(Ns + "associate-time", time)),
            ParticipantSession(CallerParticipantId, time),
            ParticipantSession(BotParticipantId, time),
            ParticipantStreams(CallerParticipantId, send: CallerStreamId, recv: BotStreamId),
            ParticipantStreams(BotParticipantId, send: BotStreamId, recv: CallerStreamId));

        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, NewLineChars = "\r\n" };
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, settings))
            new XDocument(new XDeclaration("1.0", "UTF-8", null), recording).Save(writer);
        return buffer.ToArray();
    }

    /// <summary>RFC 7865 times: <c>xs:dateTime</c> in UTC with <c>Z</c>.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private XElement BuildExtension()
    {
        var ext = new XElement(ExtensionNs + "extensiondata");
        AddIfPresent(ext, "recordingId", _request.RecordingId);
        AddIfPresent(ext, "callSid", _request.CallSid);
        AddIfPresent(ext, "accountSid", _request.AccountSid);
        AddIfPresent(ext, "applicationSid", _request.ApplicationSid);
        foreach (var (name, value) in _request.CustomHeaders)
            ext.Add(new XElement(ExtensionNs + "parameter", new XAttribute("name", XmlSafe(name)), XmlSafe(value)));
        return ext;
    }

    private static void AddIfPresent(XElement parent, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            parent.Add(new XElement(ExtensionNs + name, XmlSafe(value)));
    }

    private static XElement Participant(string id, string aor, string? displayName)
    {
        var nameId = new XElement(Ns + "nameID", new XAttribute("aor", XmlSafe(aor)));
        if (!string.IsNullOrEmpty(displayName))
            nameId.Add(new XElement(Ns + "name", XmlSafe(displayName)));
        return new XElement(Ns + "participant", new XAttribute("participant_id", id), nameId);
    }

    private XElement Stream(string id, string label) =>
        new(Ns + "stream", new XAttribute("stream_id", id), new XAttribute("session_id", SessionId),
            new XElement(Ns + "label", label));

    private XElement ParticipantSession(string participantId, string time) =>
        new(Ns + "participantsessionassoc", new XAttribute("participant_id", participantId),
            new XAttribute("session_id", SessionId), new XElement(Ns + "associate-time", time));

    private static XElement ParticipantStreams(string participantId, string send, string recv) =>
        new(Ns + "participantstreamassoc", new XAttribute("participant_id", participantId),
            new XElement(Ns + "send", send), new XElement(Ns + "recv", recv));

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
}
