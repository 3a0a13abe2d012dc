using Microsoft.Extensions.Logging;
using Siprec.Recording.Connectors;

namespace Siprec.Gateway.Twiml;

/// <summary>
/// Runs a call's voice application (one per gateway, shared by its calls): reads the first document (a file, or the
/// voice URL fetched with Twilio's call parameters), runs it, follows each <c>&lt;Redirect&gt;</c>, and hangs up when the
/// document ends, as Twilio does. A document that cannot be fetched or parsed is where Twilio would play its
/// "application error": here it is one error line naming the call, the URL and why, and the call is hung up.
/// </summary>
internal sealed class TwimlApplicationRunner : IDisposable
{
    private readonly TwimlFetcher _fetcher;
    private readonly TwimlAudio _audio;
    private readonly SrsConnectorOptions _connectors;
    private readonly int _maxRecorders;
    private readonly TwimlOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IReadOnlyDictionary<string, string> _defaultConnectors;

    /// <param name="options">Bounds, validated.</param>
    /// <param name="connectors">SRS connectors by name, as for REST.</param>
    /// <param name="maxRecorders">The most SRS URIs one start may name.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="fetcher">Reads documents and audio; null makes one from <paramref name="options"/> that the runner owns.</param>
    /// <param name="speech">espeak-ng; null looks it up on PATH.</param>
    /// <param name="accounts">The configured accounts, whose <c>defaultConnector</c> a <c>&lt;Siprec&gt;</c> without
    /// <c>connectorName</c> uses, as a REST create does; null for none.</param>
    public TwimlApplicationRunner(TwimlOptions options, SrsConnectorOptions connectors, int maxRecorders, TimeProvider time,
        ILogger<TwimlApplicationRunner> logger, TwimlFetcher? fetcher = null, SpeechSynthesizer? speech = null,
        IEnumerable<Configuration.GatewayAccount>? accounts = null)
    {
        _defaultConnectors = (accounts ?? []).Where(a => a.DefaultConnector is not null)
            .ToDictionary(a => a.Sid, a => a.DefaultConnector!, StringComparer.Ordinal);
        _options = options;
        _connectors = connectors;
        _maxRecorders = maxRecorders;
        _time = time;
        _logger = logger;
        _fetcher = fetcher ?? new TwimlFetcher(options.FetchTimeout, time);
        _audio = new TwimlAudio(_fetcher, speech ?? new SpeechSynthesizer(options.SpeechTimeout), options.MaxAudioBytes);
    }

    /// <summary>Whether <c>&lt;Say&gt;</c> can be spoken here (espeak-ng installed); a document with one fails to load otherwise.</summary>
    public bool SpeechAvailable => _audio.SpeechAvailable;

    /// <summary>Runs the application until it hangs up, ends, fails, or the call ends; the call is hung up on the way out.</summary>
    /// <returns>The SIDs of the SIPREC sessions the documents started.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the call ended).</exception>
    public async Task<IReadOnlyList<string>> RunAsync(ITwimlCall call, VoiceApplication application, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(application);
        var interpreter = new TwimlInterpreter(call, _audio, _connectors, _maxRecorders, _options.StoppedPollInterval, _time, _logger)
        {
            DefaultConnector = call.AccountSid is { } account ? _defaultConnectors.GetValueOrDefault(account) : null,
        };
        Log.ApplicationStarting(_logger, call.CallSid, application.Dialect.ToString(), application.Url.ToString());
        var (url, method) = (application.Url, application.Method);
        var hungUp = false;
        for (var documents = 1; ; documents++)
        {
            if (documents > _options.MaxDocuments)
            {
                Log.TooManyDocuments(_logger, call.CallSid, _options.MaxDocuments);
                break;
            }
            var (document, error) = await LoadAsync(call, url, method, application.Dialect, cancellationToken).ConfigureAwait(false);
            if (document is null)
            {
                Log.DocumentFailed(_logger, call.CallSid, url.ToString(), error!);
                break;
            }
            var outcome = await interpreter.RunAsync(document, cancellationToken).ConfigureAwait(false);
            if (outcome.Redirect is null)
            {
                Log.ApplicationFinished(_logger, call.CallSid, outcome.HungUp ? "<Hangup>" : "end of document");
                hungUp = outcome.HungUp;
                break;
            }
            (url, method) = (outcome.Redirect, outcome.Method);
        }
        if (!hungUp)
        {
            await call.HangUpAsync(cancellationToken).ConfigureAwait(false);
        }
        return interpreter.StartedSessions;
    }

    /// <summary>Reads and parses one document; null and the reason (with the element and line when the markup is at fault).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<(TwimlDocument? Document, string? Error)> LoadAsync(ITwimlCall call, Uri url, string method, TwimlDialect dialect,
        CancellationToken cancellationToken)
    {
        var parameters = TwimlCallParameters.Of(call).Fields;
        var (text, error) = await _fetcher.FetchDocumentAsync(url, method, parameters, TwimlParser.MaxDocumentChars, cancellationToken).ConfigureAwait(false);
        if (text is null) return (null, error);
        return TwimlParser.TryParse(text, url, dialect, _audio.SpeechAvailable, out var document, out var invalid)
            ? (document, null)
            : (null, invalid.ToString());
    }

    /// <inheritdoc />
    public void Dispose() => _fetcher.Dispose();
}
