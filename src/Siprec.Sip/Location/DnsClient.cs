using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Siprec.Sip.Location;

/// <summary>
/// A small stub resolver of our own (RFC 1035 §4.2): SRV, A and AAAA over UDP to the configured servers in turn,
/// each bounded by <see cref="DnsOptions.Timeout"/>, repeated <see cref="DnsOptions.Attempts"/> times; a truncated
/// answer is asked again over TCP (§4.2.2). NXDOMAIN is an empty answer, not an error.
/// </summary>
public sealed class DnsClient : IDnsResolver
{
    private readonly DnsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the client.</summary>
    /// <param name="options">Servers, timeout and attempts; validated here.</param>
    /// <param name="time">The clock for timeouts; null uses the system clock.</param>
    /// <param name="logger">Optional logger.</param>
    /// <exception cref="ArgumentOutOfRangeException">Timeout or attempts out of range.</exception>
    public DnsClient(DnsOptions options, TimeProvider? time = null, ILogger<DnsClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SrvRecord>> QuerySrvAsync(string name, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var answer = await QueryAsync(name, DnsMessage.TypeSrv, ct).ConfigureAwait(false);
        return answer.Services;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IPAddress>> QueryAddressesAsync(string host, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) return [literal];
        // A and AAAA fail independently (a server may refuse AAAA for a v4-only name): one answer is enough.
        var (v4, v4Error) = await TryQueryAsync(host, DnsMessage.TypeA, ct).ConfigureAwait(false);
        var (v6, v6Error) = await TryQueryAsync(host, DnsMessage.TypeAaaa, ct).ConfigureAwait(false);
        if (v4 is null && v6 is null) throw v4Error!;
        return (v4?.Addresses ?? []).Where(a => a.AddressFamily == AddressFamily.InterNetwork)
            .Concat((v6?.Addresses ?? []).Where(a => a.AddressFamily == AddressFamily.InterNetworkV6)).ToArray();
    }

    private async Task<(DnsAnswer? Answer, DnsResolutionException? Error)> TryQueryAsync(string name, ushort type, CancellationToken ct)
    {
        try
        {
            return (await QueryAsync(name, type, ct).ConfigureAwait(false), null);
        }
        catch (DnsResolutionException ex)
        {
            return (null, ex);
        }
    }

    private async Task<DnsAnswer> QueryAsync(string name, ushort type, CancellationToken ct)
    {
        byte[] query;
        var id = (ushort)RandomNumberGenerator.GetInt32(0, 65536);
        try
        {
            query = DnsMessage.BuildQuery(id, name, type);
        }
        catch (ArgumentException ex)
        {
            throw new DnsResolutionException($"cannot query '{name}': {ex.Message}", ex);
        }
        if (_options.Servers.Count == 0) throw new DnsResolutionException($"cannot resolve '{name}': {DnsOptions.NoServersText}");
        var errors = new List<string>();
        for (var attempt = 1; attempt <= _options.Attempts; attempt++)
        {
            foreach (var server in _options.Servers)
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    var answer = await AskUdpAsync(server, query, id, ct).ConfigureAwait(false);
                    if (answer.Truncated) answer = await AskTcpAsync(server, query, id, ct).ConfigureAwait(false);
                    if (answer.ResponseCode is 0 or 3) return answer;
                    errors.Add($"{server}: RCODE {answer.ResponseCode}");
                }
                catch (Exception ex) when (ex is SocketException or IOException or TimeoutException or InvalidDataException)
                {
                    errors.Add($"{server}: {ex.Message}");
                }
                Log.QueryFailed(_logger, name, TypeName(type), server, errors[^1]);
            }
        }
        throw new DnsResolutionException($"DNS {TypeName(type)} query for '{name}' failed after {_options.Attempts} attempt(s): " + string.Join("; ", errors));
    }

    private async Task<DnsAnswer> AskUdpAsync(IPEndPoint server, byte[] query, ushort id, CancellationToken ct)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(server);
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, ct);
        var buffer = new byte[4096];
        try
        {
            await socket.SendAsync(query, SocketFlags.None, linked.Token).ConfigureAwait(false);
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, linked.Token).ConfigureAwait(false);
                if (DnsMessage.TryRead(buffer.AsSpan(0, received), id, out var answer, out var error)) return answer;
                Log.BadAnswer(_logger, server, error!); // a stray or spoofed datagram: keep waiting for ours
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer within {_options.Timeout.TotalMilliseconds:0} ms");
        }
    }

    private async Task<DnsAnswer> AskTcpAsync(IPEndPoint server, byte[] query, ushort id, CancellationToken ct)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, ct);
        try
        {
            await socket.ConnectAsync(server, linked.Token).ConfigureAwait(false);
            var framed = new byte[query.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
            query.CopyTo(framed, 2);
            await socket.SendAsync(framed, SocketFlags.None, linked.Token).ConfigureAwait(false);
            var prefix = new byte[2];
            await ReceiveExactlyAsync(socket, prefix, linked.Token).ConfigureAwait(false);
            var response = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
            await ReceiveExactlyAsync(socket, response, linked.Token).ConfigureAwait(false);
            if (DnsMessage.TryRead(response, id, out var answer, out var error)) return answer;
            throw new InvalidDataException("malformed answer over TCP: " + error);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no TCP answer within {_options.Timeout.TotalMilliseconds:0} ms");
        }
    }

    private static async Task ReceiveExactlyAsync(Socket socket, byte[] buffer, CancellationToken ct)
    {
        var count = 0;
        while (count < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(count), SocketFlags.None, ct).ConfigureAwait(false);
            if (read == 0) throw new IOException("the DNS server closed the TCP connection early");
            count += read;
        }
    }

    private static string TypeName(ushort type) => type switch
    {
        DnsMessage.TypeA => "A",
        DnsMessage.TypeAaaa => "AAAA",
        DnsMessage.TypeSrv => "SRV",
        _ => type.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
