using System.Globalization;
using Siprec.EndToEnd.Tests.Peers;
using Siprec.Testing;
using StackExchange.Redis;

namespace Siprec.EndToEnd.Tests.Cluster;

/// <summary>
/// Debian's <c>redis-server</c> on a free 127.0.0.1 port, in memory only (no RDB, no AOF), as the cluster's call registry;
/// the test reads the registry through its own connection. Stopped by its own PID.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(15);
    private readonly PeerProcess _process;
    private ConnectionMultiplexer? _connection;

    private RedisServer(PeerProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>Its TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string a gateway is given.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Starts it and returns once it answers PING (bounded by 15 s).</summary>
    public static async Task<RedisServer> StartAsync(string workDirectory)
    {
        var program = Siprec.Testing.Peers.Require("redis-server");
        var port = FreePorts.UdpAndTcp();
        var directory = Directory.CreateDirectory(Path.Combine(workDirectory, "redis")).FullName;
        var server = new RedisServer(PeerProcess.Start(program,
            ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory], directory), port);
        try
        {
            await Poll.UntilAsync(async () =>
            {
                if (server._process.HasExited) return true;
                server._connection ??= await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { server.Address }, AbortOnConnectFail = false, ConnectTimeout = 1000 });
                return server._connection.IsConnected;
            }, StartLimit, $"redis-server answering on {server.Address}");
            if (server._process.HasExited) throw new InvalidOperationException($"redis-server exited with {server._process.ExitCode}:\n{server._process.StandardOutput}");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The value of <paramref name="key"/>, or null when it does not exist (expired).</summary>
    public async Task<string?> GetAsync(string key)
    {
        var value = await _connection!.GetDatabase().StringGetAsync(key);
        return value.IsNull ? null : value.ToString();
    }

    /// <summary>Closes the test's connection and stops the server by its PID (SIGINT, then killed).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        await _process.InterruptAsync(TimeSpan.FromSeconds(5));
        _process.Dispose();
    }
}
