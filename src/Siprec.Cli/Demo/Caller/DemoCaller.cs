using System.Net;
using Microsoft.Extensions.Logging;
using Siprec.Gateway.Calls;
using Siprec.Media.Rtp;
using Siprec.Media.Wav;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Cli.Demo.Caller;

/// <summary>
/// A SIP UAC on a local address (RFC 3261 §8.1, §13.2) that calls the gateway like a phone would: INVITE with a PCMU
/// offer, ACK for the 2xx, the utterance as PCMU RTP every 20 ms (in a loop, for the whole call), counts the RTP it hears, answers the
/// gateway's BYE with 200 and hangs up itself at the maximum duration. Used by <c>siprec demo</c> and tests.
/// </summary>
public sealed class DemoCaller : IAsyncDisposable
{
    private static readonly TimeSpan ByeWait = TimeSpan.FromSeconds(5);

    private readonly IPEndPoint _localSip;
    private readonly IPAddress _mediaAddress;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly DemoCallerUser _user;
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private UdpSipTransport? _transport;
    private TransactionLayer? _layer;

    /// <summary>Creates the caller; its SIP socket is bound by the first call.</summary>
    /// <param name="localSip">UDP address for the caller's SIP (port 0 = any free port).</param>
    /// <param name="mediaAddress">Address the caller's RTP socket binds to.</param>
    /// <param name="time">Clock for RTP pacing, timers and the maximum duration.</param>
    /// <param name="loggerFactory">Loggers.</param>
    public DemoCaller(IPEndPoint localSip, IPAddress mediaAddress, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(localSip);
        ArgumentNullException.ThrowIfNull(mediaAddress);
        _localSip = localSip;
        _mediaAddress = mediaAddress;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<DemoCaller>();
        _user = new DemoCallerUser(_logger);
    }

    /// <summary>
    /// Calls <paramref name="target"/>, talks and listens until the gateway hangs up or
    /// <paramref name="maxDuration"/> (seconds of answered call) passes, then reports what happened.
    /// </summary>
    /// <param name="target">The gateway's SIP URI (an IP address, or a name the system resolver knows).</param>
    /// <param name="utterance">What the caller says: 8 kHz 16-bit PCM; the first channel of a multi-channel file.</param>
    /// <param name="maxDuration">When the caller hangs up itself (BYE) if the gateway has not.</param>
    /// <param name="ct">Cancels the call: a pending INVITE is CANCELled, an answered call gets BYE, then this throws.</param>
    /// <exception cref="ArgumentException">The utterance is not 8 kHz.</exception>
    /// <exception cref="SipLocationException">The target's host cannot be resolved.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public async Task<DemoCallResult> CallAsync(SipUri target, WavAudio utterance, TimeSpan maxDuration, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(utterance);
        if (utterance.SampleRate != PromptLibrary.SampleRate)
        {
            throw new ArgumentException($"the utterance is {utterance.SampleRate} Hz; PCMU needs 8000 Hz", nameof(utterance));
        }
        var pcm = utterance.Channels == 1 ? utterance.Samples : utterance.GetChannel(0);
        var layer = await EnsureStartedAsync(ct).ConfigureAwait(false);
        var destinations = await new SystemDnsServerLocator().LocateAsync(target, ct).ConfigureAwait(false);
        var destination = destinations[0];

        await using var socket = RtpSocket.Bind(_mediaAddress);
        long received = 0;
        socket.Start((packet, from) =>
        {
            if (RtpHeader.TryRead(packet, out _, out _))
            {
                Interlocked.Increment(ref received);
            }
        });

        var invite = BuildInvite(target, socket.LocalEndPoint);
        Log.Calling(_logger, target.ToString(), _transport!.LocalEndPoint.ToString());
        var inviteStarted = _time.GetTimestamp();
        var outcome = await layer.SendRequestAsync(invite, destination, null, ct).ConfigureAwait(false);
        var finalStatus = outcome.Response?.StatusCode ?? (outcome.Kind == TransactionOutcomeKind.Timeout ? 408 : 503);
        Log.Answered(_logger, finalStatus, outcome.Kind.ToString());
        if (!outcome.IsSuccess)
        {
            ct.ThrowIfCancellationRequested();
            return new DemoCallResult(false, finalStatus, _time.GetElapsedTime(inviteStarted), 0, Interlocked.Read(ref received), false);
        }

        var ok = outcome.Response!;
        var dialog = Dialog.CreateAsUac(invite, ok);
        var leg = new DemoCallLeg(dialog, dialog.CreateAck(invite.CSeq!.Value.Sequence), destination);
        _user.Add(leg);
        try
        {
            await layer.SendAckAsync(leg.Ack, destination, CancellationToken.None).ConfigureAwait(false);
            var answeredAt = _time.GetTimestamp();
            if (!CallSdp.TryReadPcmu(ok, out var remoteRtp, out var sdpError))
            {
                Log.NoMedia(_logger, sdpError ?? "");
                await HangUpAsync(layer, leg).ConfigureAwait(false);
                return new DemoCallResult(true, finalStatus, _time.GetElapsedTime(answeredAt), 0, Interlocked.Read(ref received), false);
            }

            var sender = new RtpStreamSender(socket, remoteRtp!, new RtpStreamSenderOptions(), _time);
            long sent;
            bool byRemote;
            await using (sender.ConfigureAwait(false))
            {
                sender.Start();
                using var talking = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var talk = TalkAsync(sender, pcm, talking.Token);
                using var maxWait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var deadline = Task.Delay(maxDuration, _time, maxWait.Token);
                await Task.WhenAny(leg.RemoteBye.Task, deadline).ConfigureAwait(false);
                await maxWait.CancelAsync().ConfigureAwait(false);
                await talking.CancelAsync().ConfigureAwait(false);
                await talk.ConfigureAwait(false);
                byRemote = leg.RemoteBye.Task.IsCompleted;
                if (!byRemote)
                {
                    await HangUpAsync(layer, leg).ConfigureAwait(false);
                }
                sent = sender.PacketsSent;
            }
            Log.Ended(_logger, byRemote ? "gateway" : "caller", sent, Interlocked.Read(ref received));
            ct.ThrowIfCancellationRequested();
            return new DemoCallResult(true, finalStatus, _time.GetElapsedTime(answeredAt), sent, Interlocked.Read(ref received), byRemote);
        }
        finally
        {
            _user.Remove(leg);
        }
    }

    // The caller keeps talking for the whole call: the utterance again and again, two plays always queued so
    // the sender never runs dry between them (each play's last frame is padded to 20 ms with silence).
    private static async Task TalkAsync(RtpStreamSender sender, ReadOnlyMemory<short> pcm, CancellationToken ct)
    {
        var queued = new Queue<Task>();
        queued.Enqueue(sender.PlayAsync(pcm, ct));
        try
        {
            while (!ct.IsCancellationRequested)
            {
                queued.Enqueue(sender.PlayAsync(pcm, ct));
                await queued.Dequeue().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Stops the caller's SIP endpoint.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_layer is not null)
        {
            await _layer.DisposeAsync().ConfigureAwait(false);
        }
        if (_transport is not null)
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }
        _startGate.Dispose();
    }

    private async Task<TransactionLayer> EnsureStartedAsync(CancellationToken ct)
    {
        await _startGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_layer is null)
            {
                _transport = new UdpSipTransport(_localSip, _loggerFactory.CreateLogger<UdpSipTransport>());
                _layer = new TransactionLayer(_transport, _user, _time, new SipTransactionOptions(), _loggerFactory.CreateLogger<TransactionLayer>());
                _user.Layer = _layer;
                _layer.Start();
            }
            return _layer;
        }
        finally
        {
            _startGate.Release();
        }
    }

    private SipRequest BuildInvite(SipUri target, IPEndPoint localRtp)
    {
        var local = _transport!.LocalEndPoint;
        var me = SipUri.Parse($"sip:caller@{local}");
        var sdp = CallSdp.Build(localRtp, CallSdp.NewSessionId());
        return new SipRequest(SipMethods.Invite, target)
        {
            Headers =
            [
                new SipHeader("From", new NameAddress(me).WithTag(SipIds.NewTag()).ToString()),
                new SipHeader("To", new NameAddress(target).ToString()),
                new SipHeader("Call-ID", SipIds.NewCallId(local.Address.ToString())),
                new SipHeader("CSeq", "1 INVITE"),
                new SipHeader("Contact", $"<{me}>"),
                new SipHeader("Max-Forwards", "70"),
                new SipHeader("Allow", GatewayCall.Allow),
                new SipHeader("User-Agent", "siprec-demo-caller"),
            ],
        }.WithBody(CallSdp.ContentType, sdp);
    }

    private async Task HangUpAsync(TransactionLayer layer, DemoCallLeg leg)
    {
        SipRequest bye;
        lock (leg.Sync)
        {
            bye = leg.Dialog.CreateRequest(SipMethods.Bye);
        }
        using var bounded = new CancellationTokenSource(ByeWait, _time);
        try
        {
            await layer.SendRequestAsync(bye, leg.Destination, null, bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The BYE went out; its answer did not come in time. The call is over for us either way.
        }
    }
}
