using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Siprec.Control;

namespace Siprec.Gateway.Twiml;

/// <summary>
/// Reads a TwiML/TeXML document into a <see cref="TwimlDocument"/> with the framework's <see cref="XmlReader"/> (DTDs
/// prohibited, no resolver, so no external entity is ever fetched). Strict: an unknown verb, an unknown attribute, a bad
/// value or a verb in the wrong place fails the whole document with the element and its line, before anything runs;
/// so does <c>&lt;Say&gt;</c> when espeak-ng is not installed. Never throws on input.
/// </summary>
internal static class TwimlParser
{
    /// <summary>Largest document read, in characters (Twilio's limit for a TwiML response is 64 kB).</summary>
    public const int MaxDocumentChars = 64 * 1024;

    /// <summary>Longest <c>&lt;Pause&gt;</c>, in seconds (a day: TeXML documents hold calls with <c>length="86400"</c>).</summary>
    public const int MaxPauseSeconds = 86_400;

    /// <summary>Most repetitions of a <c>&lt;Play&gt;</c> or <c>&lt;Say&gt;</c> (Twilio caps <c>loop</c> at 1000).</summary>
    public const int MaxLoop = 1000;

    /// <summary>Why a document with <c>&lt;Say&gt;</c> cannot run here.</summary>
    public const string SpeechUnavailable = "needs espeak-ng to speak, and espeak-ng is not installed (apt-get install espeak-ng)";

    // The Twilio attributes of <Siprec> and the REST form field each reads as; Telnyx adds the second set.
    private static readonly Dictionary<string, string> TwilioSiprecFields = new(StringComparer.Ordinal)
    {
        ["name"] = "Name", ["connectorName"] = "ConnectorName", ["track"] = "Track",
        ["statusCallback"] = "StatusCallback", ["statusCallbackMethod"] = "StatusCallbackMethod",
    };

    private static readonly Dictionary<string, string> TelnyxSiprecFields = new(StringComparer.Ordinal)
    {
        ["includeMetadataCustomHeaders"] = "IncludeMetadataCustomHeaders", ["secure"] = "Secure",
        ["sessionTimeoutSecs"] = "SessionTimeoutSecs", ["sipTransport"] = "SipTransport",
    };

    /// <summary>Parses one document.</summary>
    /// <param name="xml">The document's text.</param>
    /// <param name="url">Where it came from (kept on the document; relative sources resolve against it).</param>
    /// <param name="dialect">TwiML or TeXML: decides the attributes <c>&lt;Siprec&gt;</c> takes.</param>
    /// <param name="speechAvailable">Whether <c>&lt;Say&gt;</c> can be spoken (espeak-ng installed).</param>
    /// <param name="document">The document on success.</param>
    /// <param name="error">On failure the element, line and reason.</param>
    public static bool TryParse(string xml, Uri url, TwimlDialect dialect, bool speechAvailable, out TwimlDocument? document, out TwimlError error)
    {
        ArgumentNullException.ThrowIfNull(xml);
        document = null;
        error = default;
        if (xml.Length > MaxDocumentChars)
        {
            error = new TwimlError("", 0, string.Create(CultureInfo.InvariantCulture, $"document larger than {MaxDocumentChars} characters"));
            return false;
        }
        XDocument parsed;
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersInDocument = MaxDocumentChars,
        };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            parsed = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            error = new TwimlError("", ex.LineNumber, "not well-formed XML: " + RecordingErrorTexts.Printable(ex.Message));
            return false;
        }
        var root = parsed.Root!;
        if (root.Name.LocalName != "Response" || root.Name.NamespaceName.Length > 0)
        {
            error = Error(root, "the document element must be <Response>");
            return false;
        }
        var verbs = new List<TwimlVerb>();
        var reading = new Reading(dialect, speechAvailable);
        if (!reading.NoAttributes(root, out error) || !reading.NoText(root, out error))
        {
            return false;
        }
        foreach (var element in root.Elements())
        {
            if (!reading.TryVerb(element, out var verb, out error))
            {
                return false;
            }
            verbs.Add(verb!);
        }
        document = new TwimlDocument(url, dialect, verbs);
        return true;
    }

    private static int LineOf(XObject node) => ((IXmlLineInfo)node).HasLineInfo() ? ((IXmlLineInfo)node).LineNumber : 0;

    private static TwimlError Error(XElement element, string message) => new(element.Name.LocalName, LineOf(element), message);

    private sealed class Reading(TwimlDialect dialect, bool speechAvailable)
    {
        public bool TryVerb(XElement element, out TwimlVerb? verb, out TwimlError error)
        {
            verb = null;
            error = default;
            var line = LineOf(element);
            switch (element.Name.LocalName)
            {
                case "Play" when Known(element, out error, "loop") && Leaf(element, out error) && Count(element, "loop", 1, out var loop, out error):
                    if (!Content(element, out var source, out error)) return false;
                    verb = new PlayVerb(line, source, loop);
                    return true;
                case "Say" when Known(element, out error, "voice", "language", "loop") && Leaf(element, out error) && Count(element, "loop", 1, out var times, out error):
                    if (!speechAvailable)
                    {
                        error = Error(element, SpeechUnavailable);
                        return false;
                    }
                    if (!Content(element, out var text, out error)) return false;
                    verb = new SayVerb(line, text, Attribute(element, "voice"), Attribute(element, "language"), times);
                    return true;
                case "Pause" when Known(element, out error, "length") && Leaf(element, out error) && NoText(element, out error):
                    if (!Whole(element, "length", 1, 0, MaxPauseSeconds, out var seconds, out error)) return false;
                    verb = new PauseVerb(line, TimeSpan.FromSeconds(seconds));
                    return true;
                case "Redirect" when Known(element, out error, "method") && Leaf(element, out error) && Method(element, "method", out var method, out error):
                    if (!Content(element, out var target, out error)) return false;
                    verb = new RedirectVerb(line, target, method);
                    return true;
                case "Hangup" when Known(element, out error) && Leaf(element, out error) && NoText(element, out error):
                    verb = new HangupVerb(line);
                    return true;
                case "Start" when Known(element, out error) && NoText(element, out error) && Only(element, out var siprec, out error):
                    if (!TryCreate(siprec!, out var create, out error)) return false;
                    verb = new StartSiprecVerb(LineOf(siprec!), create!);
                    return true;
                case "Stop" when Known(element, out error) && NoText(element, out error) && Only(element, out var stop, out error):
                    if (!Known(stop!, out error, [.. SiprecAttributes()]) || stop!.Elements().FirstOrDefault() is { } child && !Unexpected(child, "<Stop><Siprec> takes no children", out error))
                        return false;
                    verb = new StopSiprecVerb(LineOf(stop!), Attribute(stop!, "name"));
                    return true;
                case "Play" or "Say" or "Pause" or "Redirect" or "Hangup" or "Start" or "Stop":
                    return false; // a `when` above refused it and set the error
                default:
                    error = Error(element, element.Name.NamespaceName.Length > 0
                        ? $"unknown verb in namespace '{element.Name.NamespaceName}'"
                        : "unknown or unsupported verb (supported: Start/Stop with Siprec, Play, Pause, Say, Redirect, Hangup)");
                    return false;
            }
        }

        public bool NoAttributes(XElement element, out TwimlError error) => Known(element, out error);

        public bool NoText(XElement element, out TwimlError error)
        {
            error = default;
            if (element.Nodes().OfType<XText>().Any(t => !string.IsNullOrWhiteSpace(t.Value)))
            {
                error = Error(element, "takes no text");
                return false;
            }
            return true;
        }

        private IEnumerable<string> SiprecAttributes() =>
            dialect == TwimlDialect.Telnyx ? TwilioSiprecFields.Keys.Concat(TelnyxSiprecFields.Keys) : TwilioSiprecFields.Keys;

        // <Start>/<Stop> hold exactly one <Siprec> (the only noun supported).
        private static bool Only(XElement element, out XElement? siprec, out TwimlError error)
        {
            siprec = null;
            error = default;
            var children = element.Elements().ToList();
            if (children.Count == 1 && children[0].Name.LocalName == "Siprec" && children[0].Name.NamespaceName.Length == 0)
            {
                siprec = children[0];
                return true;
            }
            return children.Count == 0
                ? Unexpected(element, "needs one <Siprec> (the only noun supported here)", out error)
                : Unexpected(children.FirstOrDefault(c => c.Name.LocalName != "Siprec") ?? children[1],
                    $"unsupported inside <{element.Name.LocalName}> (one <Siprec> is supported)", out error);
        }

        // The attributes become the REST form fields, the <Parameter>s Parameter{N}.Name/Value, and RestRecordingRequest
        // checks them as it checks a REST create: one set of rules and texts for both.
        private bool TryCreate(XElement siprec, out RestRecordingRequest? create, out TwimlError error)
        {
            create = null;
            if (!Known(siprec, out error, [.. SiprecAttributes()]) || !NoText(siprec, out error))
                return false;
            var form = new List<KeyValuePair<string, string?>>();
            foreach (var attribute in siprec.Attributes().Where(a => !a.IsNamespaceDeclaration))
            {
                var field = TwilioSiprecFields.GetValueOrDefault(attribute.Name.LocalName) ?? TelnyxSiprecFields[attribute.Name.LocalName];
                form.Add(new(field, attribute.Value));
            }
            var n = 0;
            foreach (var parameter in siprec.Elements())
            {
                if (parameter.Name.LocalName != "Parameter" || parameter.Name.NamespaceName.Length > 0)
                    return Unexpected(parameter, "unsupported inside <Siprec> (only <Parameter name value/>)", out error);
                if (!Known(parameter, out error, "name", "value") || !Leaf(parameter, out error) || !NoText(parameter, out error))
                    return false;
                if (Attribute(parameter, "name") is not { } name)
                    return Unexpected(parameter, "needs a name attribute", out error);
                n++;
                form.Add(new(string.Create(CultureInfo.InvariantCulture, $"Parameter{n}.Name"), name));
                form.Add(new(string.Create(CultureInfo.InvariantCulture, $"Parameter{n}.Value"), parameter.Attribute("value")?.Value ?? ""));
            }
            if (!RestRecordingRequest.TryParse(form, out create, out var invalid))
            {
                error = Error(siprec, invalid!.Text);
                return false;
            }
            return true;
        }

        private bool Known(XElement element, out TwimlError error, params string[] names)
        {
            error = default;
            foreach (var attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration))
            {
                var name = attribute.Name.LocalName;
                if (attribute.Name.NamespaceName.Length == 0 && names.Contains(name, StringComparer.Ordinal))
                    continue;
                var why = element.Name.LocalName == "Siprec" && dialect == TwimlDialect.Twilio && TelnyxSiprecFields.ContainsKey(name)
                    ? "is a Telnyx TeXML attribute; this document is read as Twilio TwiML (set the dialect to telnyx)"
                    : names.Length == 0 ? "takes no attributes" : $"is not supported (supported: {string.Join(", ", names)})";
                error = Error(element, $"attribute {name}=\"{RecordingErrorTexts.Printable(attribute.Value)}\" {why}");
                return false;
            }
            return true;
        }

        private static bool Leaf(XElement element, out TwimlError error)
        {
            error = default;
            return element.Elements().FirstOrDefault() is not { } child || Unexpected(child, $"unexpected inside <{element.Name.LocalName}>", out error);
        }

        private static bool Unexpected(XElement element, string message, out TwimlError error)
        {
            error = Error(element, message);
            return false;
        }

        private static string? Attribute(XElement element, string name) =>
            element.Attribute(name)?.Value is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        private static bool Content(XElement element, out string text, out TwimlError error)
        {
            error = default;
            text = element.Value.Trim();
            if (text.Length > 0 && !text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))) return true;
            error = Error(element, text.Length == 0 ? "needs text content" : "text content has control characters");
            return false;
        }

        private static bool Count(XElement element, string name, int fallback, out int value, out TwimlError error) =>
            Whole(element, name, fallback, 0, MaxLoop, out value, out error);

        private static bool Whole(XElement element, string name, int fallback, int min, int max, out int value, out TwimlError error)
        {
            error = default;
            value = fallback;
            if (element.Attribute(name)?.Value is not { } text) return true;
            if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max) return true;
            error = Error(element, string.Create(CultureInfo.InvariantCulture, $"attribute {name}=\"{RecordingErrorTexts.Printable(text)}\" must be a whole number {min}..{max}"));
            return false;
        }

        private static bool Method(XElement element, string name, out string method, out TwimlError error)
        {
            error = default;
            method = (Attribute(element, name) ?? "POST").ToUpperInvariant();
            if (method is "GET" or "POST") return true;
            error = Error(element, $"attribute {name}=\"{RecordingErrorTexts.Printable(element.Attribute(name)!.Value)}\" must be GET or POST");
            return false;
        }
    }
}
