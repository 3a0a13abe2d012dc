using Microsoft.Extensions.Logging;
using Siprec.Control;
using Siprec.Gateway.RecordingControl;
using Siprec.Recording.Connectors;

namespace Siprec.Gateway.Twiml;

/// <summary>
/// Runs a call's TwiML/TeXML documents verb by verb against its <see cref="ITwimlCall"/>. <c>&lt;Siprec&gt;</c> goes through
/// the call's <see cref="RecordingController"/> exactly as a REST create or stop does (the same mapping, the same rules,
/// the same resources and callbacks). A verb that fails at run time (an unreadable WAV, a refused start) is logged with
/// its line and the document goes on, as Twilio goes on after a warning; the call's end cancels whatever runs.
/// </summary>
internal sealed class TwimlInterpreter
{
    private readonly ITwimlCall _call;
    private readonly TwimlAudio _audio;
    private readonly SrsConnectorOptions _connectors;
    private readonly int _maxRecorders;
    private readonly TimeSpan _pollInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<string> _started = [];

    /// <param name="call">The call.</param>
    /// <param name="audio">Play and Say audio.</param>
    /// <param name="connectors">SRS connectors by name, as for REST.</param>
    /// <param name="maxRecorders">The most SRS URIs one start may name.</param>
    /// <param name="pollInterval">How often a TeXML start reads its session's status while it waits for the stop.</param>
    /// <param name="time">Clock of pauses and that poll.</param>
    /// <param name="logger">Logger.</param>
    public TwimlInterpreter(ITwimlCall call, TwimlAudio audio, SrsConnectorOptions connectors, int maxRecorders, TimeSpan pollInterval,
        TimeProvider time, ILogger logger)
    {
        _call = call;
        _audio = audio;
        _connectors = connectors;
        _maxRecorders = maxRecorders;
        _pollInterval = pollInterval;
        _time = time;
        _logger = logger;
    }

    /// <summary>The call's account's <c>defaultConnector</c>, used by a <c>&lt;Siprec&gt;</c> without <c>connectorName</c>; null for none.</summary>
    public string? DefaultConnector { get; init; }

    /// <summary>The SIDs of the sessions this call's documents started, oldest first.</summary>
    public IReadOnlyList<string> StartedSessions => _started;

    /// <summary>Runs one document to its end, its <c>&lt;Hangup&gt;</c> or its <c>&lt;Redirect&gt;</c>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the call ended).</exception>
    public async Task<TwimlOutcome> RunAsync(TwimlDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        foreach (var verb in document.Verbs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (verb)
            {
                case PlayVerb play:
                    await PlayAsync(document, play, cancellationToken).ConfigureAwait(false);
                    break;
                case SayVerb say:
                    await SayAsync(document, say, cancellationToken).ConfigureAwait(false);
                    break;
                case PauseVerb pause:
                    await Task.Delay(pause.Length, _time, cancellationToken).ConfigureAwait(false);
                    break;
                case StartSiprecVerb start:
                    await StartAsync(document, start, cancellationToken).ConfigureAwait(false);
                    break;
                case StopSiprecVerb stop:
                    await StopAsync(stop, cancellationToken).ConfigureAwait(false);
                    break;
                case RedirectVerb redirect:
                    if (Resolve(document, redirect.Target, out var next, out var error))
                    {
                        Log.Redirecting(_logger, _call.CallSid, redirect.Method, next!.ToString());
                        return new TwimlOutcome(next, redirect.Method, false);
                    }
                    Log.VerbFailed(_logger, _call.CallSid, "Redirect", redirect.Line, document.Url.ToString(), error!);
                    break;
                case HangupVerb:
                    await _call.HangUpAsync(cancellationToken).ConfigureAwait(false);
                    return TwimlOutcome.HangUp;
            }
        }
        return TwimlOutcome.Ended;
    }

    /// <summary>
    /// Resolves a Play source or a Redirect target against the document: absolute http(s) URLs as written, anything else
    /// relative to the document. A fetched document reaches only http(s) URLs, never the gateway's own files.
    /// </summary>
    public static bool Resolve(TwimlDocument document, string reference, out Uri? resolved, out string? error)
    {
        error = null;
        if (!Uri.TryCreate(document.Url, reference, out resolved) || resolved.Scheme is not ("file" or "http" or "https"))
        {
            error = $"'{RecordingErrorTexts.Printable(reference)}' is not a file or an http(s) URL";
            resolved = null;
            return false;
        }
        if (resolved.IsFile && !document.Url.IsFile)
        {
            error = $"'{RecordingErrorTexts.Printable(reference)}': a fetched document may name http(s) URLs only, not the gateway's files";
            resolved = null;
            return false;
        }
        return true;
    }

    private async Task PlayAsync(TwimlDocument document, PlayVerb play, CancellationToken cancellationToken)
    {
        if (!Resolve(document, play.Source, out var source, out var error))
        {
            Log.VerbFailed(_logger, _call.CallSid, "Play", play.Line, document.Url.ToString(), error!);
            return;
        }
        try
        {
            var samples = await _audio.LoadAsync(source!, cancellationToken).ConfigureAwait(false);
            await RepeatAsync(samples, play.Loop, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            Log.VerbFailed(_logger, _call.CallSid, "Play", play.Line, document.Url.ToString(), ex.Message);
        }
    }

    private async Task SayAsync(TwimlDocument document, SayVerb say, CancellationToken cancellationToken)
    {
        try
        {
            var samples = await _audio.SpeakAsync(say, cancellationToken).ConfigureAwait(false);
            await RepeatAsync(samples, say.Loop, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            Log.VerbFailed(_logger, _call.CallSid, "Say", say.Line, document.Url.ToString(), ex.Message);
        }
    }

    // loop="0" plays until the call ends (its cancellation ends the loop).
    private async Task RepeatAsync(short[] samples, int loop, CancellationToken cancellationToken)
    {
        for (var i = 0; loop == 0 || i < loop; i++)
        {
            await _call.PlayAsync(samples, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task StartAsync(TwimlDocument document, StartSiprecVerb start, CancellationToken cancellationToken)
    {
        var callSid = _call.CallSid;
        if (!ApiStartMapping.TryMap(start.Create, _connectors, DefaultConnector, _maxRecorders, callSid, _call.AccountSid ?? "", out var request, out var options, out var error))
        {
            Log.SiprecStartRefused(_logger, callSid, start.Line, error!.StatusCode, error.Text);
            return;
        }
        var result = await _call.Recording.ExecuteAsync(request! with { AccountSid = _call.AccountSid }, options!, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess || result.Resource is not { } resource)
        {
            Log.SiprecStartRefused(_logger, callSid, start.Line, result.StatusCode, result.FullText ?? "");
            return;
        }
        _started.Add(resource.Sid);
        Log.SiprecStarted(_logger, callSid, start.Line, resource.Sid, resource.Name ?? "");
        if (document.Dialect == TwimlDialect.Telnyx)
        {
            Log.WaitingForSiprecStop(_logger, callSid, resource.Sid);
            await WaitStoppedAsync(resource.Sid, cancellationToken).ConfigureAwait(false);
            Log.SiprecStopWaitOver(_logger, callSid, resource.Sid);
        }
    }

    // Telnyx: "subsequent TeXML instructions are processed only after the SIPREC session has been stopped". Stopped by REST,
    // by every recorder failing, or by the call's end (which also cancels this wait). See TwimlOptions.StoppedPollInterval.
    private async Task WaitStoppedAsync(string sid, CancellationToken cancellationToken)
    {
        while (_call.Recording.Resources.ActiveSession(sid) is not null)
        {
            await Task.Delay(_pollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task StopAsync(StopSiprecVerb stop, CancellationToken cancellationToken)
    {
        var callSid = _call.CallSid;
        var target = stop.Name ?? _started.LastOrDefault(sid => _call.Recording.Resources.ActiveSession(sid) is not null);
        if (target is null)
        {
            Log.NothingToStop(_logger, callSid, stop.Line);
            return;
        }
        var request = new RecordingControlRequest { Action = RecordingAction.Stop, CallSid = callSid, AccountSid = _call.AccountSid };
        var result = await _call.Recording.ExecuteAsync(request, RecordingRequestOptions.For(target), cancellationToken).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            Log.SiprecStopped(_logger, callSid, stop.Line, target);
        }
        else
        {
            Log.SiprecStopRefused(_logger, callSid, stop.Line, target, result.StatusCode, result.Text ?? "");
        }
    }
}
