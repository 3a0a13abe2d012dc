using Newtonsoft.Json.Linq;
using Siprec.Gateway.Twiml;

namespace Siprec.Gateway.Configuration;

/// <summary>
/// TwiML/TeXML applications: the top-level <c>twiml</c> object (<c>file</c> or <c>voiceUrl</c>, <c>voiceMethod</c>,
/// <c>dialect</c> and the bounds <c>fetchTimeoutMs</c>, <c>maxAudioBytes</c>, <c>maxDocuments</c>), an account's
/// <c>voiceUrl</c>/<c>voiceMethod</c>/<c>dialect</c>, and <c>numbers</c> (applications by called number).
/// </summary>
internal sealed class ApplicationsSection
{
    /// <summary>The keys that name an application, in <c>twiml</c>, in a <c>numbers</c> entry and in an account.</summary>
    public static readonly string[] ApplicationKeys = ["voiceUrl", "voiceMethod", "dialect"];

    private readonly ConfigurationFileReader _reader;
    private readonly string _baseDirectory;

    public ApplicationsSection(ConfigurationFileReader reader, string baseDirectory)
    {
        _reader = reader;
        _baseDirectory = baseDirectory;
    }

    public GatewayOptions Read(JObject root, GatewayOptions options)
    {
        if (root["twiml"] is { Type: not JTokenType.Null } twiml)
        {
            var settings = _reader.Object(twiml);
            _reader.NoUnknownKeys(settings, ["file", .. ApplicationKeys, "fetchTimeoutMs", "maxAudioBytes", "maxDocuments"]);
            var bounds = options.Twiml;
            if (settings["fetchTimeoutMs"] is { } timeout) bounds = bounds with { FetchTimeout = TimeSpan.FromMilliseconds(_reader.Int(timeout, 100, 120_000)) };
            if (settings["maxAudioBytes"] is { } audio) bounds = bounds with { MaxAudioBytes = _reader.Int(audio, 1024, 256 * 1024 * 1024) };
            if (settings["maxDocuments"] is { } documents) bounds = bounds with { MaxDocuments = _reader.Int(documents, 1, 10_000) };
            options = options with { Twiml = bounds, Application = ReadApplication(settings, _baseDirectory, allowFile: true) };
            if (options.Application is not null && root["flow"] is { Type: not JTokenType.Null } flow)
                throw _reader.Bad(flow, "a call runs either the flow or the twiml application; set one of them");
        }
        if (root["numbers"] is { } numbersToken)
        {
            var numbers = new Dictionary<string, VoiceApplication>(StringComparer.Ordinal);
            foreach (var item in _reader.Array(numbersToken))
            {
                var entry = _reader.Object(item);
                _reader.NoUnknownKeys(entry, ["number", "file", .. ApplicationKeys]);
                var number = _reader.String(_reader.Required(entry, "number"));
                if (numbers.ContainsKey(number)) throw _reader.Bad(entry["number"]!, $"number '{number}' is listed twice");
                numbers[number] = ReadApplication(entry, _baseDirectory, allowFile: true)
                    ?? throw _reader.Bad(entry, "needs a voiceUrl or a file");
            }
            options = options with { NumberApplications = numbers };
        }
        return options;
    }

    // An account's keys are read beside its sid and secrets; an account has no folder of its own, so only a voiceUrl.
    public VoiceApplication? ReadAccountApplication(JObject account) =>
        ReadApplication(account, ".", allowFile: false);

    // A voiceMethod or dialect without a voiceUrl or file would be silently unused: refused.
    private VoiceApplication? ReadApplication(JObject obj, string baseDirectory, bool allowFile)
    {
        var dialect = TwimlDialect.Twilio;
        if (obj["dialect"] is { } dialectToken)
        {
            var text = _reader.String(dialectToken).ToLowerInvariant();
            dialect = text switch
            {
                "twilio" or "twiml" => TwimlDialect.Twilio,
                "telnyx" or "texml" => TwimlDialect.Telnyx,
                _ => throw _reader.Bad(dialectToken, $"must be twilio or telnyx, was '{text}'"),
            };
        }
        var method = "POST";
        if (obj["voiceMethod"] is { } methodToken)
        {
            method = _reader.String(methodToken).ToUpperInvariant();
            if (method is not ("GET" or "POST")) throw _reader.Bad(methodToken, $"must be GET or POST, was '{method}'");
        }
        var file = allowFile ? obj["file"] : null;
        var url = obj["voiceUrl"];
        if (file is not null && url is not null) throw _reader.Bad(obj, "set either file or voiceUrl, not both");
        if (url is not null)
        {
            var text = _reader.String(url);
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw _reader.Bad(url, $"'{text}' is not an absolute http or https URL");
            return new VoiceApplication(uri, method, dialect);
        }
        if (file is not null)
        {
            var path = Path.GetFullPath(_reader.String(file), baseDirectory);
            if (!File.Exists(path)) throw _reader.Bad(file, $"file '{path}' not found");
            return new VoiceApplication(new Uri(path), method, dialect);
        }
        if ((obj["voiceMethod"] ?? obj["dialect"]) is { } orphan)
        {
            throw _reader.Bad(orphan, allowFile ? "needs a voiceUrl or a file beside it" : "needs a voiceUrl beside it");
        }
        return null;
    }
}
