using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using Siprec.FlowNode.Flows;
using Siprec.Gateway.Observability;
using Siprec.Gateway.RecordingControl;
using Siprec.Recording;
using Siprec.Sip.Transactions;

namespace Siprec.Gateway.Calls;

/// <summary>What every call of one gateway shares: its SIP transaction layer, the SRC, prompts, the flow and the clock.</summary>
/// <param name="Sip">The gateway's transaction layer (sends BYE).</param>
/// <param name="Src">The SIPREC client that makes each call's recording session.</param>
/// <param name="Time">The clock.</param>
/// <param name="LoggerFactory">Loggers for the call's parts.</param>
/// <param name="Prompts">The prompt cache.</param>
/// <param name="Flow">The flow run on every answered call; null for none.</param>
/// <param name="FlowContext">The initial flow context, deep-cloned per call.</param>
/// <param name="WarnAgent">The gateway's SIP address (host:port) for <c>Warning</c> headers.</param>
/// <param name="MaxRecorders">The most SRS URIs one start may list.</param>
/// <param name="TeardownGrace">How long teardown waits for the flow and for the recorders' BYEs.</param>
/// <param name="Metrics">The gateway's instruments.</param>
/// <param name="StatusSink">Told about every session status change (queues callbacks; never blocks).</param>
/// <param name="AccountFor">The account a new call belongs to, from its INVITE; null for none.</param>
internal sealed record CallEnvironment(
    TransactionLayer Sip,
    SiprecClient Src,
    TimeProvider Time,
    ILoggerFactory LoggerFactory,
    PromptLibrary Prompts,
    FlowDefinition? Flow,
    JObject FlowContext,
    string WarnAgent,
    int MaxRecorders,
    TimeSpan TeardownGrace,
    GatewayMetrics Metrics,
    Action<RecordingStatusChange> StatusSink,
    Func<Siprec.Sip.Messages.SipRequest, string?> AccountFor)
{
    /// <summary>The SRCs of the configured edges; a connector with <c>;edge=</c> records through its edge's; null: none.</summary>
    public EdgeEgress? Edges { get; init; }

    /// <summary>The gateway's recording-required default (<see cref="GatewayOptions.RecordingRequired"/>); off unless set.</summary>
    public bool RecordingRequired { get; init; }

    /// <summary>The bound of one recording operation as REST and INFO see it (<see cref="GatewayOptions.OperationTimeout"/>).</summary>
    public TimeSpan OperationTimeout { get; init; } = GatewayOptions.DefaultOperationTimeout;

    /// <summary>Forked streams a call's SIPREC sessions may use together (<see cref="GatewayOptions.StreamBudget"/>).</summary>
    public int StreamBudget { get; init; } = RecordingControl.RecordingController.DefaultStreamBudget;

    /// <summary>Which TwiML/TeXML application a call runs (<see cref="GatewayOptions.Application"/>, accounts, numbers); null: none.</summary>
    public Twiml.VoiceApplications? Applications { get; init; }

    /// <summary>The rtpengine engine that anchors each call's media (<c>media.engine = rtpengine</c>); null for the embedded engine.</summary>
    public Siprec.Recording.MediaEngines.RtpengineMediaEngine? MediaAnchor { get; init; }

    /// <summary>Runs the calls' TwiML/TeXML applications; set whenever <see cref="Applications"/> is.</summary>
    public Twiml.TwimlApplicationRunner? Twiml { get; init; }
}
