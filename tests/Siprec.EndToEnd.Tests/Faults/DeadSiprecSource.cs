using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Siprec.Sip.Messages;

namespace Siprec.EndToEnd.Tests.Faults;

/// <summary>
/// A hostile or broken SRC for fault 2 of issue 12: raw SIP over one UDP socket bound to its own loopback address (e.g.
/// 127.0.0.2). It opens SIPREC sessions (INVITE, then ACK for any final answer) and never sends media or BYE; it answers
/// the SRS's BYEs 200 and keeps them, so the test sees how and why the SRS ended each session.
/// </summary>
internal sealed class DeadSiprecSource : IAsyncDisposable
{
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(10);
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<SipResponse>> _pending = new(StringComparer.Ordinal);
    private readonly Task _receiving;

    private DeadSiprecSource(IPAddress address)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(address, 0));
        _receiving = ReceiveAsync();
    }

    /// <summary>The SRS's BYEs received so far.</summary>
    public ConcurrentQueue<SipRequest> Byes { get; } = new();

    /// <summary>Where it sends from.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public static DeadSiprecSource Bind(IPAddress address) => new(address);

    /// <summary>Sends one SIPREC INVITE (one sendonly PCMU m-line, minimal metadata) to <paramref name="srs"/>, ACKs its final answer and returns it.</summary>
    /// <exception cref="TimeoutException">No final answer within 10 s.</exception>
    public async Task<SipResponse> InviteAsync(IPEndPoint srs, int index)
    {
        var me = EndPoint;
        var callId = $"dead-{index}-{Guid.NewGuid():N}@{me.Address}";
        var sdp = $"v=0\r\no=src {index} 1 IN IP4 {me.Address}\r\ns=siprec\r\nc=IN IP4 {me.Address}\r\nt=0 0\r\n"
            + $"m=audio {40000 + (2 * index)} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=label:1\r\na=sendonly\r\n";
        const string metadata = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<recording xmlns=\"urn:ietf:params:xml:ns:recording:1\"><datamode>complete</datamode></recording>\r\n";
        var body = Encoding.UTF8.GetBytes("--dead\r\nContent-Type: application/sdp\r\n\r\n" + sdp
            + "--dead\r\nContent-Type: application/rs-metadata+xml\r\nContent-Disposition: recording-session\r\n\r\n" + metadata + "--dead--\r\n");
        var uri = $"sip:srs@{srs.Address}:{srs.Port}";
        var invite = new SipRequest(SipMethods.Invite, SipUri.Parse(uri))
        {
            Headers =
            [
                new("Via", $"SIP/2.0/UDP {me.Address}:{me.Port};branch=z9hG4bK{Guid.NewGuid():N}"),
                new("Max-Forwards", "70"),
                new("From", $"<sip:dead@{me.Address}>;tag=d{index}"),
                new("To", $"<{uri}>"),
                new("Call-ID", callId),
                new("CSeq", "1 INVITE"),
                new("Contact", $"<sip:dead@{me.Address}:{me.Port}>;+sip.src"),
                new("Require", "siprec"),
            ],
        }.WithBody("multipart/mixed;boundary=dead", body);

        var answer = new TaskCompletionSource<SipResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[callId] = answer;
        await _socket.SendToAsync(SipSerializer.Serialize(invite), srs);
        var response = await answer.Task.WaitAsync(AnswerLimit);
        _pending.TryRemove(callId, out _);

        // The ACK of a 2xx is its own transaction (RFC 3261 §13.2.2.4), that of an error reuses the INVITE's branch (§17.1.1.3).
        var via = response.StatusCode < 300 ? $"SIP/2.0/UDP {me.Address}:{me.Port};branch=z9hG4bK{Guid.NewGuid():N}" : invite.GetHeader("Via")!;
        var ack = new SipRequest(SipMethods.Ack, SipUri.Parse(uri))
        {
            Headers =
            [
                new("Via", via),
                new("Max-Forwards", "70"),
                new("From", invite.GetHeader("From")!),
                new("To", response.GetHeader("To")!),
                new("Call-ID", callId),
                new("CSeq", "1 ACK"),
            ],
        };
        await _socket.SendToAsync(SipSerializer.Serialize(ack), srs);
        return response;
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[65536];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested) return;
                continue;
            }
            if (!SipParser.TryParse(buffer.AsMemory(0, received.ReceivedBytes).ToArray(), out var message, out _)) continue;
            switch (message)
            {
                case SipResponse { StatusCode: >= 200 } response when response.CallId is { } id && _pending.TryGetValue(id, out var waiting):
                    waiting.TrySetResult(response);
                    break;
                case SipRequest { Method: SipMethods.Bye } bye:
                    if (!Byes.Any(b => b.CallId == bye.CallId)) Byes.Enqueue(bye);
                    await _socket.SendToAsync(SipSerializer.Serialize(SipResponse.CreateFor(bye, 200)), received.RemoteEndPoint);
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _receiving;
        _stop.Dispose();
    }
}
