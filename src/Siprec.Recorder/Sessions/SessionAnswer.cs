using System.Net;
using Siprec.Recorder.Offers;
using Siprec.Sip.Sdp;

namespace Siprec.Recorder.Sessions;

/// <summary>
/// The SRS's SDP answer for one recording session (RFC 3264 §6 and §8): the same ports and address for the life of the
/// session, one <c>o=</c> session id, and a version raised exactly when the answer changes. Not thread-safe: the session
/// builds answers before it is published or under its lock.
/// </summary>
internal sealed class SessionAnswer
{
    private readonly IReadOnlyList<StreamPlan> _plans;
    private readonly IReadOnlyList<int> _ports;
    private readonly IPAddress _advertisedAddress;
    private readonly ulong _originSessionId;
    private ulong _originVersion;
    private string? _answerBody;

    /// <param name="plans">Every m-line of the offer, recorded or declined, in offer order.</param>
    /// <param name="streams">The recorded streams; each plan's port is its stream's RTP port, 0 for a declined line.</param>
    /// <param name="advertisedAddress">The address the answer's <c>c=</c> and <c>o=</c> lines name.</param>
    public SessionAnswer(IReadOnlyList<StreamPlan> plans, IReadOnlyList<RecordedStream> streams, IPAddress advertisedAddress)
    {
        _plans = plans;
        _advertisedAddress = advertisedAddress;
        _ports = plans.Select(p => streams.FirstOrDefault(s => s.Plan == p)?.Socket.LocalEndPoint.Port ?? 0).ToList();
        _originSessionId = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        _originVersion = 1;
    }

    /// <summary>The answer to <paramref name="offer"/>, with the <c>o=</c> version raised when it differs from the previous answer.</summary>
    public SdpSession Build(SdpSession offer)
    {
        var origin = new SdpOrigin("siprec-srs", _originSessionId, _originVersion, "IN",
            SdpAnswerBuilder.AddressType(_advertisedAddress), _advertisedAddress.ToString());
        var answer = SdpAnswerBuilder.BuildAnswer(offer, _plans, _ports, _advertisedAddress, origin);
        // RFC 3264 §8: the o= version changes exactly when the answer does.
        var body = string.Join("\n", answer.ToString().Split('\n').Where(l => !l.StartsWith("o=", StringComparison.Ordinal)));
        if (_answerBody is not null && body != _answerBody)
        {
            _originVersion++;
            answer = answer with { Origin = origin with { SessionVersion = _originVersion } };
        }
        _answerBody = body;
        return answer;
    }
}
