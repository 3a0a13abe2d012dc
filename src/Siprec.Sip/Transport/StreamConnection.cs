using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Siprec.Sip.Transport;

/// <summary>
/// One TCP or TLS connection: a read loop that frames messages (<see cref="StreamFramer"/>), answers keep-alive
/// pings, and closes on bad framing, peer close, idleness or a header block that takes longer than
/// <see cref="StreamTransportOptions.HeaderReadTimeout"/>; serialized writes.
/// </summary>
internal sealed class StreamConnection
{
    private static readonly byte[] PingBytes = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] PongBytes = "\r\n"u8.ToArray();
    private readonly StreamTransportCore _owner;
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private readonly ITimer _idle;
    private readonly ITimer _headerRead;
    private readonly ITimer? _ping;
    private bool _headerReadRunning;
    private int _isClosed;

    public StreamConnection(StreamTransportCore owner, Socket socket, Stream stream, IPEndPoint remote, bool outbound)
    {
        _owner = owner;
        _socket = socket;
        _stream = stream;
        Remote = remote;
        Inbound = !outbound;
        _idle = owner.Time.CreateTimer(_ => OnIdle(), null, owner.Options.IdleTimeout, Timeout.InfiniteTimeSpan);
        // An accepted connection owes its first header block from the start; one we opened owes nothing until a byte arrives.
        _headerReadRunning = Inbound;
        _headerRead = owner.Time.CreateTimer(_ => OnHeaderReadTimeout(), null, Inbound ? owner.Options.HeaderReadTimeout : Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        if (outbound && owner.Options.KeepAliveInterval is { } interval)
        {
            _ping = owner.Time.CreateTimer(_ => _ = SendControlAsync(PingBytes), null, interval, interval);
        }
    }

    public IPEndPoint Remote { get; }

    /// <summary>True for a connection the listener accepted (counted against the inbound caps).</summary>
    public bool Inbound { get; }

    public bool IsClosed => Volatile.Read(ref _isClosed) != 0;

    public void Start() => _ = Task.Run(ReadLoopAsync);

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (IsClosed) throw new IOException($"the {_owner.Protocol} connection to {Remote} is closed");
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            Close("write failed: " + ex.Message);
            throw new IOException($"sending on the {_owner.Protocol} connection to {Remote} failed: {ex.Message}", ex);
        }
        finally
        {
            _writeLock.Release();
        }
        Touch();
    }

    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _isClosed, 1) != 0) return;
        Log.ConnectionClosed(_owner.Logger, _owner.Protocol, Remote, reason);
        _owner.Remove(this);
        _idle.Dispose();
        _headerRead.Dispose();
        _ping?.Dispose();
        _closed.Cancel();
        try
        {
            _stream.Dispose();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
        }
        _socket.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var max = _owner.Options.MaxMessageSize;
        var buffer = new byte[Math.Min(8192, max)];
        var count = 0;
        try
        {
            while (!IsClosed)
            {
                if (count == buffer.Length)
                {
                    if (buffer.Length >= max)
                    {
                        Close($"message exceeds MaxMessageSize ({max} bytes)");
                        return;
                    }
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, max));
                }
                var read = await _stream.ReadAsync(buffer.AsMemory(count), _closed.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    Close("closed by the peer");
                    return;
                }
                count += read;
                Touch();
                var offset = 0;
                while (offset < count)
                {
                    var frame = StreamFramer.TryFrame(buffer.AsSpan(offset, count - offset), max, out var consumed, out var error);
                    if (frame == StreamFrame.Incomplete) break;
                    if (frame == StreamFrame.Error)
                    {
                        Log.FramingFailed(_owner.Logger, _owner.Protocol, Remote, error!);
                        Close("framing error: " + error);
                        return;
                    }
                    if (frame == StreamFrame.Message) _owner.Deliver(buffer.AsMemory(offset, consumed), Remote);
                    else if (frame == StreamFrame.Ping) _ = SendControlAsync(PongBytes);
                    offset += consumed;
                }
                if (offset > 0)
                {
                    Buffer.BlockCopy(buffer, offset, buffer, 0, count - offset);
                    count -= offset;
                }
                TrackHeaderRead(buffer.AsSpan(0, count));
            }
        }
        catch (OperationCanceledException)
        {
            Close("stopped");
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            Close("read failed: " + ex.Message);
        }
    }

    private async Task SendControlAsync(byte[] bytes)
    {
        try
        {
            await WriteAsync(bytes, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
    }

    private void Touch()
    {
        if (IsClosed) return;
        try
        {
            _idle.Change(_owner.Options.IdleTimeout, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void OnIdle() => Close($"idle for {_owner.Options.IdleTimeout}");

    // Runs the header-read timer while a message has started but its header block has not ended; the bytes left after
    // framing are the start of the next message (or of a CRLF keep-alive, which starts nothing).
    private void TrackHeaderRead(ReadOnlySpan<byte> pending)
    {
        var inHeaders = !pending.TrimStart("\r\n"u8).IsEmpty && pending.IndexOf("\r\n\r\n"u8) < 0;
        if (inHeaders == _headerReadRunning) return;
        _headerReadRunning = inHeaders;
        try
        {
            _headerRead.Change(inHeaders ? _owner.Options.HeaderReadTimeout : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void OnHeaderReadTimeout() => Close($"no end of headers within {_owner.Options.HeaderReadTimeout} (HeaderReadTimeout)");
}
