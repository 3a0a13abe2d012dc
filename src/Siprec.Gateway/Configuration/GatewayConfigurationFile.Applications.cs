using Newtonsoft.Json.Linq;
using Siprec.Gateway.Twiml;

namespace Siprec.Gateway.Configuration;

/// <summary>
/// TwiML/TeXML applications: the top-level <c>twiml</c> object (<c>file</c> or <c>voiceUrl</c>, <c>voiceMethod</c>,
/// <c>dialect</c> and the bounds <c>fetchTimeoutMs</c>, <c>maxAudioBytes</c>, <c>maxDocuments</c>), an account's
/// <c>voiceUrl</c>/<c>voiceMethod</c>/<c>dialect</c>, and <c>numbers</c> (applications by called number).
/// </summary>
public static partial class GatewayConfigurationFile
{
    private static readonly string[] ApplicationKeys = ["voiceUrl", "voiceMethod", "dialect"];

    private static GatewayOptions ReadApplications(JObject root, Reader reader, string baseDirectory, GatewayOptions options)
    {
        if (root["twiml"] is { Type: not JTokenType.Null } twiml)
        {
            var settings = reader.Object(twiml);
            reader.NoUnknownKeys(settings, ["file", .. ApplicationKeys, "fetchTimeoutMs", "maxAudioBytes", "maxDocuments"]);
            var bounds = options.Twiml;
            if (settings["fetchTimeoutMs"] is { } timeout) bounds = bounds with { FetchTimeout = TimeSpan.FromMilliseconds(reader.Int(timeout, 100, 120_000)) };
            if (settings["maxAudioBytes"] is { } audio) bounds = bounds with { MaxAudioBytes = reader.Int(audio, 1024, 256 * 1024 * 1024) };
            if (settings["maxDocuments"] is { } documents) bounds = bounds with { MaxDocuments = reader.Int(documents, 1, 10_000) };
            options = options with { Twiml = bounds, Application = ReadApplication(settings, reader, baseDirectory, allowFile: true) };
            if (options.Application is not null && root["flow"] is { Type: not JTokenType.Null } flow)
                throw reader.Bad(flow, "a call runs either the flow or the twiml application; set one of them");
        }
        if (root["numbers"] is { } numbersToken)
        {
            var numbers = new Dictionary<string, VoiceApplication>(StringComparer.Ordinal);
            foreach (var item in reader.Array(numbersToken))
            {
                var entry = reader.Object(item);
                reader.NoUnknownKeys(entry, ["number", "file", .. ApplicationKeys]);
                var number = reader.String(reader.Required(entry, "number"));
                if (numbers.ContainsKey(number)) throw reader.Bad(entry["number"]!, $"number '{number}' is listed twice");
                numbers[number] = ReadApplication(entry, reader, baseDirectory, allowFile: true)
                    ?? throw reader.Bad(entry, "needs a voiceUrl or a file");
            }
            options = options with { NumberApplications = numbers };
        }
        return options;
    }

    // An account's keys are read beside its sid and secrets; an account has no folder of its own, so only a voiceUrl.
    private static VoiceApplication? ReadAccountApplication(JObject account, Reader reader) =>
        ReadApplication(account, reader, ".", allowFile: false);

    // A voiceMethod or dialect without a voiceUrl or file would be silently unused: refused.
    private static VoiceApplication? ReadApplication(JObject obj, Reader reader, string baseDirectory, bool allowFile)
    {
        var dialect = TwimlDialect.Twilio;
        if (obj["dialect"] is { } dialectToken)
        {
            var text = reader.String(dialectToken).ToLowerInvariant();
            dialect = text switch
            {
                "twilio" or "twiml" => TwimlDialect.Twilio,
                "telnyx" or "texml" => TwimlDialect.Telnyx,
                _ => throw reader.Bad(dialectToken, $"must be twilio or telnyx, was '{text}'"),
            };
        }
        var method = "POST";
        if (obj["voiceMethod"] is { } methodToken)
        {
            method = reader.String(methodToken).ToUpperInvariant();
            if (method is not ("GET" or "POST")) throw reader.Bad(methodToken, $"must be GET or POST, was '{method}'");
        }
        var file = allowFile ? obj["file"] : null;
        var url = obj["voiceUrl"];
        if (file is not null && url is not null) throw reader.Bad(obj, "set either file or voiceUrl, not both");
        if (url is not null)
        {
            var text = reader.String(url);
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw reader.Bad(url, $"'{text}' is not an absolute http or https URL");
            return new VoiceApplication(uri, method, dialect);
        }
        if (file is not null)
        {
            var path = Path.GetFullPath(reader.String(file), baseDirectory);
            if (!File.Exists(path)) throw reader.Bad(file, $"file '{path}' not found");
            return new VoiceApplication(new Uri(path), method, dialect);
        }
        if ((obj["voiceMethod"] ?? obj["dialect"]) is { } orphan)
        {
            throw reader.Bad(orphan, allowFile ? "needs a voiceUrl or a file beside it" : "needs a voiceUrl beside it");
        }
        return null;
    }
}
