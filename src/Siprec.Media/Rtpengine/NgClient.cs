using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Siprec.Media.Rtpengine;

/// <summary>
/// Client of rtpengine's ng control protocol (rtpengine <c>docs/ng_control_protocol.md</c>): each message is
/// <c>COOKIE SP bencode-dictionary</c> over UDP; the answer carries the same cookie. A try waits
/// <see cref="NgClientOptions.Timeout"/> and is resent with the same cookie (rtpengine answers a repeated cookie from its
/// cache, so a retried offer never creates a second call) up to <see cref="NgClientOptions.Tries"/> times. Several
/// instances share new calls by weight (<see cref="Pick"/>); every instance gets an ng <c>ping</c> each
/// <see cref="NgClientOptions.PingInterval"/>, and one that does not answer (a ping or any command) is down:
/// <see cref="InstanceDown"/> tells the owner of its calls, and new calls go elsewhere until it answers again. Thread-safe.
/// </summary>
public sealed class NgClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NgClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<IReadOnlyDictionary<string, object>>> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<RtpengineInstance, DateTimeOffset> _downSince = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly ITimer _pingTimer;
    private readonly Task _receiveLoop;
    private long _nextCookie = Random.Shared.NextInt64(1, 1L << 40);

    /// <summary>Creates the client over <paramref name="instances"/> and starts reading answers and pinging.</summary>
    /// <param name="instances">At least one instance.</param>
    /// <param name="options">Timeouts and retries; validated.</param>
    /// <param name="time">Clock for every wait.</param>
    /// <param name="logger">Receives instance up/down and retries; null for none.</param>
    /// <exception cref="ArgumentException"><paramref name="instances"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="options"/> does not validate.</exception>
    public NgClient(IReadOnlyList<RtpengineInstance> instances, NgClientOptions options, TimeProvider time, ILogger<NgClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (instances.Count == 0)
            throw new ArgumentException("At least one rtpengine instance is needed.", nameof(instances));
        options.Validate();
        Instances = instances;
        _options = options;
        _time = time;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        var family = instances[0].EndPoint.AddressFamily;
        _socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
        _receiveLoop = Task.Run(ReceiveLoopAsync);
        _pingTimer = time.CreateTimer(_ => _ = PingAllAsync(), null, options.PingInterval, options.PingInterval);
    }

    /// <summary>The configured instances.</summary>
    public IReadOnlyList<RtpengineInstance> Instances { get; }

    /// <summary>The validated options the client was created with.</summary>
    public NgClientOptions Options => _options;

    /// <summary>The clock every wait of the client (and of the engine's statistics polls) uses.</summary>
    public TimeProvider Time => _time;

    /// <summary>Raised once each time an instance goes from answering to not answering; handlers must not block.</summary>
    public event Action<RtpengineInstance, string>? InstanceDown;

    /// <summary>True while <paramref name="instance"/> answers (the last command or ping to it got an answer).</summary>
    public bool IsUp(RtpengineInstance instance) => !_downSince.ContainsKey(instance);

    /// <summary>
    /// Chooses the instance for a new call: weighted random among the instances that answer; when none answers, the one
    /// down the longest once it has been down <see cref="NgClientOptions.RetryDownAfter"/> (it may be back).
    /// </summary>
    /// <exception cref="NgException">Every instance is down (unreachable), none long enough to retry.</exception>
    public RtpengineInstance Pick()
    {
        var up = Instances.Where(IsUp).ToList();
        if (up.Count > 0)
        {
            var ticket = Random.Shared.Next(up.Sum(i => i.Weight));
            foreach (var instance in up)
            {
                ticket -= instance.Weight;
                if (ticket < 0)
                    return instance;
            }
        }

        var now = _time.GetUtcNow();
        var retry = _downSince.Where(d => now - d.Value >= _options.RetryDownAfter).OrderBy(d => d.Value).Select(d => d.Key).FirstOrDefault();
        return retry ?? throw new NgException("no rtpengine instance answers: " + string.Join(", ", Instances), unreachable: true);
    }

    /// <summary>
    /// Sends one command (a dictionary with at least <c>command</c>) and returns the answer dictionary when its
    /// <c>result</c> is <c>ok</c> (or <c>pong</c>), with retries as the class says.
    /// </summary>
    /// <exception cref="NgException">No answer after every try (<see cref="NgException.Unreachable"/>; the instance is now down), or <c>result: error</c> with its <c>error-reason</c>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public async Task<IReadOnlyDictionary<string, object>> SendAsync(RtpengineInstance instance, IReadOnlyDictionary<string, object> command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(command);
        var name = command.TryGetValue("command", out var c) ? c as string ?? "?" : "?";
        var cookie = Interlocked.Increment(ref _nextCookie).ToString("x", CultureInfo.InvariantCulture);
        var datagram = Encoding.ASCII.GetBytes(cookie + " ").Concat(Bencode.Encode(command)).ToArray();
        var answer = new TaskCompletionSource<IReadOnlyDictionary<string, object>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[cookie] = answer;
        try
        {
            for (var attempt = 1; attempt <= _options.Tries; attempt++)
            {
                if (attempt > 1)
                    Log.Retry(_logger, name, instance.ToString(), attempt);
                try
                {
                    await _socket.SendToAsync(datagram, SocketFlags.None, instance.EndPoint, ct).ConfigureAwait(false);
                }
                catch (SocketException ex)
                {
                    // No route, a firewall's EPERM, …: as unreachable as an instance that does not answer, and said the same way.
                    var failed = string.Create(CultureInfo.InvariantCulture, $"cannot send '{name}': {ex.SocketErrorCode}");
                    MarkDown(instance, failed);
                    throw new NgException($"rtpengine {instance}: {failed}", unreachable: true);
                }

                using var tryLimit = CancellationTokenSource.CreateLinkedTokenSource(ct);
                tryLimit.CancelAfter(_options.Timeout);
                var timeout = Task.Delay(_options.Timeout, _time, tryLimit.Token);
                if (await Task.WhenAny(answer.Task, timeout).ConfigureAwait(false) == answer.Task)
                {
                    await tryLimit.CancelAsync().ConfigureAwait(false);
                    MarkUp(instance);
                    return Check(await answer.Task.ConfigureAwait(false), name, instance);
                }

                ct.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            _pending.TryRemove(cookie, out _);
        }

        var detail = string.Create(CultureInfo.InvariantCulture, $"no answer to '{name}' after {_options.Tries} × {_options.Timeout.TotalMilliseconds:0} ms");
        MarkDown(instance, detail);
        throw new NgException($"rtpengine {instance}: {detail}", unreachable: true);
    }

    private static IReadOnlyDictionary<string, object> Check(IReadOnlyDictionary<string, object> answer, string name, RtpengineInstance instance)
    {
        var result = answer.TryGetValue("result", out var r) ? r as string : null;
        if (result is "ok" or "pong")
            return answer;
        var reason = answer.TryGetValue("error-reason", out var e) ? e as string : null;
        throw new NgException($"rtpengine {instance} refused '{name}': {result ?? "no result"}{(reason is null ? "" : ": " + reason)}", unreachable: false);
    }

    private void MarkDown(RtpengineInstance instance, string detail)
    {
        if (!_downSince.TryAdd(instance, _time.GetUtcNow()))
            return;
        Log.InstanceDown(_logger, instance.ToString(), detail);
        InstanceDown?.Invoke(instance, detail);
    }

    private void MarkUp(RtpengineInstance instance)
    {
        if (_downSince.TryRemove(instance, out _))
            Log.InstanceUp(_logger, instance.ToString());
    }

    private async Task PingAllAsync()
    {
        foreach (var instance in Instances)
        {
            try
            {
                await SendAsync(instance, new Dictionary<string, object> { ["command"] = "ping" }, _closing.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NgException or OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // A ping's failure is already reported by MarkDown; nothing waits for it.
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_closing.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _closing.Token).ConfigureAwait(false);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                continue; // ICMP port unreachable from a stopped instance: its command times out and reports it
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.ReceiveFailed(_logger, ex);
                return;
            }

            OnDatagram(buffer.AsSpan(0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint);
        }
    }

    private void OnDatagram(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        var space = datagram.IndexOf((byte)' ');
        if (space <= 0)
        {
            Log.BadAnswer(_logger, remote, "no cookie");
            return;
        }

        var cookie = Encoding.ASCII.GetString(datagram[..space]);
        if (!_pending.TryGetValue(cookie, out var waiter))
            return; // a late answer to a retried try, already served
        if (!Bencode.TryParse(datagram[(space + 1)..], out var value, out var error) || value is not IReadOnlyDictionary<string, object> dictionary)
        {
            Log.BadAnswer(_logger, remote, error ?? "not a dictionary");
            return;
        }

        waiter.TrySetResult(dictionary);
    }

    /// <summary>Stops pinging and reading; pending commands fail as unreachable on their own timeouts.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_closing.IsCancellationRequested)
            return;
        await _pingTimer.DisposeAsync().ConfigureAwait(false);
        await _closing.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _receiveLoop.ConfigureAwait(false);
        _closing.Dispose();
    }
}
