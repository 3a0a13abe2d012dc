using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Siprec.Sip.Messages;

namespace Siprec.EndToEnd.Tests.ControlPlane;

/// <summary>How a <see cref="ScriptedSrs"/> answers recording INVITEs.</summary>
internal enum ScriptedSrsMode
{
    /// <summary>486 Busy Here at once.</summary>
    Busy,

    /// <summary>Rings (180) until the SRC gives up and sends CANCEL, then answers the INVITE 200 (crossing the CANCEL) and the CANCEL 200.</summary>
    LateAcceptor,
}

/// <summary>
/// A minimal SRS on a raw UDP socket on 127.0.0.1 for the failure cases the embedded SRS never produces: a refusal,
/// and a 2xx that arrives after the gateway's no-answer timeout (the gateway must then ACK and BYE it).
/// </summary>
internal sealed class ScriptedSrs : IAsyncDisposable
{
    private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly ScriptedSrsMode _mode;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly string _tag = SipIds.NewTag();
    private SipRequest? _pendingInvite;

    public ScriptedSrs(ScriptedSrsMode mode, string user)
    {
        _mode = mode;
        Uri = $"sip:{user}@{_socket.Client.LocalEndPoint}";
        _loop = Task.Run(LoopAsync);
    }

    public string Uri { get; }

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<SipRequest> Requests { get; } = new();

    /// <summary>Completes at the BYE for the late 2xx.</summary>
    public TaskCompletionSource ByeSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var datagram = await _socket.ReceiveAsync(_stop.Token);
            if (!SipParser.TryParse(datagram.Buffer, out var message, out _) || message is not SipRequest request)
            {
                continue;
            }
            Requests.Enqueue(request);
            var remote = datagram.RemoteEndPoint;
            switch (request.Method)
            {
                case SipMethods.Invite when request.To?.Tag is null && _mode == ScriptedSrsMode.Busy:
                    await SendAsync(SipResponse.CreateFor(request, 486, toTag: SipIds.NewTag()), remote);
                    break;
                case SipMethods.Invite when request.To?.Tag is null:
                    // A provisional first: RFC 3261 §9.1 lets the SRC CANCEL only after one.
                    _pendingInvite ??= request;
                    await SendAsync(SipResponse.CreateFor(request, 180, toTag: _tag), remote);
                    break;
                case SipMethods.Cancel when _pendingInvite is { } invite:
                    var sdp = "v=0\r\no=late 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                        + "m=audio 9 RTP/AVP 0\r\na=recvonly\r\nm=audio 9 RTP/AVP 0\r\na=recvonly\r\n";
                    var ok = SipResponse.CreateFor(invite, 200, toTag: _tag)
                        .AddHeader("Contact", $"<{Uri}>")
                        .WithBody("application/sdp", System.Text.Encoding.ASCII.GetBytes(sdp));
                    await SendAsync(ok, remote);
                    await SendAsync(SipResponse.CreateFor(request, 200), remote);
                    break;
                case SipMethods.Bye:
                    await SendAsync(SipResponse.CreateFor(request, 200), remote);
                    ByeSeen.TrySetResult();
                    break;
                case SipMethods.Ack:
                    break;
                default:
                    await SendAsync(SipResponse.CreateFor(request, 200), remote);
                    break;
            }
        }
    }

    private async Task SendAsync(SipResponse response, IPEndPoint remote) =>
        await _socket.SendAsync(SipSerializer.Serialize(response), remote, _stop.Token);
}
