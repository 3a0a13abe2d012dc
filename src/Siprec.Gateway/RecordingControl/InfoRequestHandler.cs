using Microsoft.Extensions.Logging;
using Siprec.Control;
using Siprec.Sip.Messages;

namespace Siprec.Gateway.RecordingControl;

/// <summary>
/// Answers the recording INFO of DESIGN §4.1 with the §4.2 code and <c>Warning: 399 &lt;host&gt; "&lt;text&gt;"</c>.
/// One per call; it serves both the INFO that arrives over SIP and the one the flow's node hands over in-process,
/// so both paths validate and answer the same way. An INFO without <c>X-Reason</c> is not a recording request
/// and gets a plain 200. A start may carry <c>X-Recording-Required: true|false</c> (our extension; absent = the gateway's
/// <see cref="GatewayOptions.RecordingRequired"/>); when such a start fails, the answer is 503 with the §4.2 text and a
/// second <c>Warning</c> saying the call is being ended.
/// </summary>
internal sealed class InfoRequestHandler
{
    private readonly RecordingController _controller;
    private readonly string _warnAgent;
    private readonly int _maxRecorders;
    private readonly string _callSid;
    private readonly ILogger _logger;
    private readonly object _sync = new();
    private readonly List<InfoExchange> _exchanges = [];

    /// <param name="controller">The call's recording controller.</param>
    /// <param name="warnAgent">The gateway's SIP address (host:port) written as the Warning's agent.</param>
    /// <param name="maxRecorders">The most SRS URIs one start may list.</param>
    /// <param name="callSid">The call's SID, the scope of every log line.</param>
    /// <param name="logger">Logger.</param>
    public InfoRequestHandler(RecordingController controller, string warnAgent, int maxRecorders, string callSid, ILogger<InfoRequestHandler> logger)
    {
        _controller = controller;
        _warnAgent = warnAgent;
        _maxRecorders = maxRecorders;
        _callSid = callSid;
        _logger = logger;
    }

    /// <summary>Every recording request answered so far, in order.</summary>
    public IReadOnlyList<InfoExchange> Exchanges
    {
        get { lock (_sync) return _exchanges.ToList(); }
    }

    /// <summary>
    /// Validates, runs and answers one INFO. Never throws: a cancelled or failed operation is answered 500 with
    /// a Warning saying so, because the duty is one truthful final response per request.
    /// </summary>
    public async Task<SipResponse> HandleAsync(SipRequest info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        using var scope = LogScope.ForCall(_logger, _callSid);
        var reason = info.GetHeader(InfoRequestMapping.ReasonHeader);
        if (string.IsNullOrWhiteSpace(reason))
        {
            Log.PlainInfo(_logger);
            return SipResponse.CreateFor(info, 200);
        }
        reason = reason.Trim();

        RecordingCommandResult result;
        if (OverlongHeader(info) is { } overlong)
        {
            result = new RecordingCommandResult(400, RecordingErrorTexts.InvalidField(overlong.Name, overlong.Value,
                $"at most {MaxHeaderLength} characters"));
        }
        else if (!InfoRequestMapping.TryFromInfo(name => info.GetHeader(name), info.ContentType, info.Body.Span, _maxRecorders, out var request, out var error))
        {
            result = new RecordingCommandResult(error!.StatusCode, error.Text);
        }
        else
        {
            try
            {
                result = await _controller.ExecuteAsync(request!, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                result = new RecordingCommandResult(500, GatewayTexts.CallEnded);
            }
            catch (Exception ex)
            {
                Log.RequestFailed(_logger, ex, reason);
                result = new RecordingCommandResult(500, GatewayTexts.InternalError(RecordingErrorTexts.Printable(reason), ex));
            }
        }
        return Answer(info, RecordingErrorTexts.Printable(reason), result);
    }

    /// <summary>Longest accepted value of a recording header (<c>X-Reason</c>, <c>X-Srs-Url</c>, the IDs), checked before use.</summary>
    public const int MaxHeaderLength = 1024;

    private static SipHeader? OverlongHeader(SipRequest info)
    {
        foreach (var header in info.Headers)
        {
            if (header.Name.StartsWith("X-", StringComparison.OrdinalIgnoreCase) && header.Value.Length > MaxHeaderLength)
            {
                return header;
            }
        }
        return null;
    }

    // A start that ends the call (recording required) answers the §4.2 text and, in a second Warning, that the call is ended.
    private SipResponse Answer(SipRequest info, string reason, RecordingCommandResult result)
    {
        var text = result.FullText;
        if (text is null)
        {
            Log.RequestSucceeded(_logger, reason, result.StatusCode);
        }
        else if (result.IsSuccess)
        {
            Log.RequestSucceededWithWarning(_logger, reason, result.StatusCode, text);
        }
        else
        {
            Log.RequestRefused(_logger, reason, result.StatusCode, text);
        }
        lock (_sync)
        {
            _exchanges.Add(new InfoExchange(reason, result.StatusCode, text));
        }
        var response = SipResponse.CreateFor(info, result.StatusCode);
        if (result.Text is not null)
        {
            response = response.AddHeader(WarningHeader.Name, WarningHeader.Format(_warnAgent, result.Text));
        }
        return result.CallEnding is null ? response : response.AddHeader(WarningHeader.Name, WarningHeader.Format(_warnAgent, result.CallEnding));
    }
}
