using System.Net;
using Microsoft.Extensions.Logging;
using Siprec.Media.Forwarding;
using Siprec.Media.Rtp;
using Siprec.Media.Srtp;
using Siprec.Recording.Dialogs;
using Siprec.Recording.Offers;
using Siprec.Sip.Sdp;

namespace Siprec.Recording.MediaEngines;

/// <summary>
/// One recorder's media in the embedded engine: a forwarder per stream on an even RTP port with its RTCP socket on the
/// next odd one (RFC 3550 §11, so the offer needs no <c>a=rtcp</c>), SDES keys for a secure recorder, and the media watch.
/// </summary>
internal sealed class EmbeddedRecorderMedia : IRecorderMedia
{
    private readonly EmbeddedMediaCall _call;
    private readonly IReadOnlyList<CallParty> _parties;
    private readonly RtpForwarder[] _forwarders;
    private readonly DialogSrtp? _srtp;
    private readonly bool _secure;

    /// <exception cref="MediaEngineException">The RTP port range is full (the message names it).</exception>
    public EmbeddedRecorderMedia(EmbeddedMediaEngine engine, EmbeddedMediaCall call, IReadOnlyList<CallParty> parties, bool secure)
    {
        _call = call;
        _parties = parties;
        _secure = secure;
        Address = engine.MediaAddress;
        var forwarders = new List<RtpForwarder>(parties.Count);
        try
        {
            foreach (var _ in parties)
            {
                var (rtp, rtcp) = RtpSocket.BindPair(engine.MediaAddress, engine.RtpPorts, engine.LoggerFactory.CreateLogger<RtpSocket>());
                forwarders.Add(new RtpForwarder(rtp, rtcp, engine.Time, null, engine.LoggerFactory.CreateLogger<RtpForwarder>()));
            }
        }
        catch (RtpPortsExhaustedException ex)
        {
            // The operator's media.portRange is full: nothing is offered; the dialog reports media-engine-failed and 503.
            foreach (var forwarder in forwarders) _ = forwarder.DisposeAsync().AsTask();
            throw new MediaEngineException(ex.Message, ex);
        }
        _forwarders = forwarders.ToArray();
        Ports = _forwarders.Select(f => f.Socket.LocalEndPoint.Port).ToArray();
        if (secure)
            _srtp = new DialogSrtp(_forwarders); // DESIGN §4.3: fresh keys per recorder and per stream
    }

    /// <summary>The forwarders, in m-line order.</summary>
    public IReadOnlyList<RtpForwarder> Forwarders => _forwarders;

    /// <inheritdoc />
    public IPAddress Address { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> Ports { get; }

    /// <inheritdoc />
    public IReadOnlyList<SdesCrypto>? Offered => _srtp?.Offered;

    /// <inheritdoc />
    public bool Receiving => _forwarders.Any(f => f.Destination is not null);

    /// <inheritdoc />
    public Task ApplyAnswerAsync(SdpSession answer, CancellationToken ct)
    {
        _srtp?.ApplyRecorderKeys(answer);
        var destinations = RecordingSdp.ReadDestinations(answer, _forwarders.Length, _secure);
        var rtcp = RecordingSdp.ReadRtcpDestinations(answer, destinations); // RFC 3605 a=rtcp, else RTP port + 1
        for (var i = 0; i < _forwarders.Length; i++)
        {
            _forwarders[i].RtcpDestination = rtcp[i];
            _forwarders[i].Destination = destinations[i];
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Join()
    {
        for (var i = 0; i < _forwarders.Length; i++)
            FanOut(_parties[i]).Add(_forwarders[i]);
    }

    /// <inheritdoc />
    public void Leave()
    {
        for (var i = 0; i < _forwarders.Length; i++)
            FanOut(_parties[i]).Remove(_forwarders[i]);
    }

    /// <inheritdoc />
    public Task SetPausedAsync(bool paused)
    {
        foreach (var f in _forwarders)
            f.Paused = paused;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public IDisposable Watch(TimeProvider time, SrcOptions options, Action<RecorderFailure> onFailure)
    {
        var watch = new RecorderMediaWatch(_forwarders, time, options.MediaUnreachableAfter, options.RtcpSilenceTimeout, onFailure);
        watch.Start();
        return watch;
    }

    /// <inheritdoc />
    public long PacketsForwarded(int index) => _forwarders[index].PacketsForwarded;

    /// <inheritdoc />
    public RecorderReport? LatestRecorderReport(int index) => _forwarders[index].LatestRecorderReport;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Leave();
        foreach (var f in _forwarders)
        {
            try
            {
                await f.DisposeAsync().ConfigureAwait(false); // a forwarder owns and closes its sockets
            }
            catch (ObjectDisposedException)
            {
            }
        }

        _srtp?.Dispose(); // after the forwarders: their last SR with BYE still needs its key
    }

    private RtpFanOut FanOut(CallParty party) => party == CallParty.Caller ? _call.Caller : _call.Bot;
}
