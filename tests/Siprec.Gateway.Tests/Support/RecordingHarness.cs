using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Gateway.RecordingControl;
using Siprec.Recording;
using Siprec.Sip.Messages;

namespace Siprec.Gateway.Tests.Support;

/// <summary>A real SRC (SiprecClient on 127.0.0.1) with one call's RecordingController and InfoRequestHandler, as the gateway wires them.</summary>
public sealed class RecordingHarness : IAsyncDisposable
{
    /// <summary>The Warning agent the harness's handler writes.</summary>
    public const string WarnAgent = "127.0.0.1:5060";

    private readonly SiprecClient _src;
    private uint _cseq = 1;

    private RecordingHarness(SiprecClient src, int maxRecorders, TimeSpan? operationTimeout, TimeProvider? operationClock)
    {
        _src = src;
        var call = new RecordedCall("call-" + Guid.NewGuid().ToString("N"), new NameAddress(SipUri.Parse("sip:caller@127.0.0.1")),
            new NameAddress(SipUri.Parse("sip:bot@127.0.0.1")), DateTimeOffset.UtcNow);
        Controller = new RecordingController(_ => _src.CreateSession(call), "CA0123", NullLogger<RecordingController>.Instance,
            time: operationClock, operationTimeout: operationTimeout);
        Handler = new InfoRequestHandler(Controller, WarnAgent, maxRecorders, "CA0123", NullLogger<InfoRequestHandler>.Instance);
    }

    /// <summary>The call's controller.</summary>
    internal RecordingController Controller { get; }

    /// <summary>The call's INFO handler.</summary>
    internal InfoRequestHandler Handler { get; }

    /// <summary>
    /// Starts the SRC on the real clock with the product's 2 s no-answer timeout (a cold test process needs it for the first accept);
    /// <paramref name="operationClock"/> (null: the real clock) times only the controller's operation bound, so a test can end it on cue.
    /// </summary>
    public static async Task<RecordingHarness> StartAsync(TimeSpan? noAnswerTimeout = null, int maxRecorders = 4, TimeSpan? operationTimeout = null,
        TimeProvider? operationClock = null)
    {
        var src = new SiprecClient(
            new SrcOptions { NoAnswerTimeout = noAnswerTimeout ?? TimeSpan.FromSeconds(2), MaxRecorders = maxRecorders },
            TimeProvider.System,
            NullLoggerFactory.Instance);
        await src.StartAsync(CancellationToken.None);
        return new RecordingHarness(src, maxRecorders, operationTimeout, operationClock);
    }

    /// <summary>An in-dialog INFO as the feature server sends it.</summary>
    public SipRequest Info(IEnumerable<(string Name, string Value)> headers, string? body = null, string contentType = "application/json")
    {
        var request = new SipRequest(SipMethods.Info, SipUri.Parse("sip:bot@127.0.0.1:5060"))
        {
            Headers =
            [
                new SipHeader("Via", "SIP/2.0/UDP 127.0.0.1:5070;branch=" + SipIds.NewBranch()),
                new SipHeader("From", "<sip:fs@127.0.0.1:5070>;tag=fs1"),
                new SipHeader("To", "<sip:bot@127.0.0.1:5060>;tag=gw1"),
                new SipHeader("Call-ID", "call-1@127.0.0.1"),
                new SipHeader("CSeq", $"{++_cseq} INFO"),
                new SipHeader("Max-Forwards", "70"),
            ],
        };
        foreach (var (name, value) in headers)
        {
            request = request.AddHeader(name, value);
        }
        return body is null ? request : request.WithBody(contentType, Encoding.UTF8.GetBytes(body));
    }

    /// <summary>Handles one INFO, bounded by 10 s.</summary>
    public Task<SipResponse> SendAsync(SipRequest info) => Handler.HandleAsync(info, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Start with these SRS URIs.</summary>
    public Task<SipResponse> StartRecordingAsync(params string[] srsUris) =>
        SendAsync(Info([("X-Reason", "startCallRecording"), ("X-Srs-Url", string.Join(",", srsUris))]));

    /// <summary>Stop, pause or resume.</summary>
    public Task<SipResponse> SendReasonAsync(string reason) => SendAsync(Info([("X-Reason", reason)]));

    /// <summary>The expected Warning header value for a text.</summary>
    public static string Warning(string text) => $"399 {WarnAgent} \"{text}\"";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Controller.DisposeAsync();
        await _src.DisposeAsync();
    }
}
