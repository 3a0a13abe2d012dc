using Siprec.Media.Forwarding;
using Siprec.Media.Srtp;
using Siprec.Recording.Offers;
using Siprec.Sip.Sdp;

namespace Siprec.Recording.Dialogs;

/// <summary>
/// The SDES-SRTP keys of one secure recording dialog (DESIGN §4.3, RFC 4568, RFC 3711): per stream a fresh key of the
/// SRC, offered in <c>a=crypto</c>, that the stream's forwarder protects its SRTP and its SRTCP sender reports with; and
/// per stream the recorder's key from its answer (RFC 4568 §5.1.2), with which the forwarder authenticates the
/// recorder's SRTCP receiver reports (§3.4). Owns every context; thread-safe.
/// </summary>
internal sealed class DialogSrtp : IDisposable
{
    private readonly object _gate = new();
    private readonly IReadOnlyList<RtpForwarder> _streams;
    private readonly SrtpContext[] _sending;
    private readonly SrtpContext?[] _receiving;
    private readonly SdesCrypto?[] _recorderKeys;
    private bool _disposed;

    /// <summary>Creates a key per stream and sets each forwarder's <c>Srtp</c>.</summary>
    public DialogSrtp(IReadOnlyList<RtpForwarder> streams)
    {
        _streams = streams;
        Offered = streams.Select(_ => SdesCrypto.CreateRandom()).ToList();
        _sending = Offered.Select(c => new SrtpContext(c.MasterKey, c.Suite)).ToArray();
        _receiving = new SrtpContext?[streams.Count];
        _recorderKeys = new SdesCrypto?[streams.Count];
        for (var i = 0; i < streams.Count; i++)
            streams[i].Srtp = _sending[i];
    }

    /// <summary>The SRC's <c>a=crypto</c> per stream, in m-line order: fixed for the life of the dialog.</summary>
    public IReadOnlyList<SdesCrypto> Offered { get; }

    /// <summary>
    /// Keys each forwarder's <c>RecorderSrtp</c> with the recorder's <c>a=crypto</c> on the same m-line of
    /// <paramref name="sdp"/> (an answer, or the SRS's own offer). An unchanged key keeps its context, and with it the
    /// SRTCP replay windows; a changed one replaces it; a line without a usable key leaves the stream without one, so its
    /// RTCP is not believed.
    /// </summary>
    public void ApplyRecorderKeys(SdpSession sdp)
    {
        var keys = RecordingSdp.ReadCrypto(sdp, _streams.Count);
        var retired = new List<SrtpContext>();
        lock (_gate)
        {
            if (_disposed) return;
            for (var i = 0; i < _streams.Count; i++)
            {
                if (SameKey(_recorderKeys[i], keys[i])) continue;
                var next = keys[i] is { } key ? new SrtpContext(key.MasterKey, key.Suite) : null;
                _streams[i].RecorderSrtp = next;
                if (_receiving[i] is { } previous) retired.Add(previous);
                _receiving[i] = next;
                _recorderKeys[i] = keys[i];
            }
        }
        // A report being read with a retired context right now fails and is counted as rejected: one report, no harm.
        foreach (var context in retired) context.Dispose();
    }

    /// <summary>Disposes every context; call after the forwarders are disposed (their last SR with BYE still needs its key).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        foreach (var context in _sending) context.Dispose();
        foreach (var context in _receiving) context?.Dispose();
    }

    private static bool SameKey(SdesCrypto? a, SdesCrypto? b) =>
        a is null ? b is null : b is not null && a.Suite == b.Suite && a.MasterKey.KeyAndSalt.SequenceEqual(b.MasterKey.KeyAndSalt);
}
