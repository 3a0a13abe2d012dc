using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Web;
using Siprec.Testing;

namespace Siprec.Gateway.Tests.Support;

/// <summary>One status callback as the loopback listener received it.</summary>
/// <param name="Method">GET or POST.</param>
/// <param name="Fields">Query string (GET) or form body (POST) fields.</param>
public sealed record ReceivedCallback(string Method, IReadOnlyDictionary<string, string> Fields);

/// <summary>An HTTP listener on 127.0.0.1 that records every callback and answers a fixed status code.</summary>
public sealed class CallbackListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly int _status;
    private readonly Task _loop;

    /// <summary>Listens on a free port; answers every request with <paramref name="status"/>.</summary>
    public CallbackListener(int status = 204)
    {
        _status = status;
        var port = FreeTcpPort();
        Url = $"http://127.0.0.1:{port}/callbacks/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The URL to give as StatusCallback.</summary>
    public string Url { get; }

    /// <summary>Every request, in arrival order.</summary>
    public ConcurrentQueue<ReceivedCallback> Received { get; } = new();

    /// <summary>Waits until <paramref name="count"/> requests arrived; <see cref="TimeoutException"/> after <paramref name="bound"/>.</summary>
    public Task WaitForAsync(int count, TimeSpan bound) => Poll.UntilAsync(() => Received.Count >= count, bound, $"{count} callback requests at {Url}");

    /// <inheritdoc />
    public void Dispose()
    {
        _listener.Close();
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            var text = context.Request.HttpMethod == "POST"
                ? await new StreamReader(context.Request.InputStream).ReadToEndAsync()
                : context.Request.Url!.Query.TrimStart('?');
            var parsed = HttpUtility.ParseQueryString(text);
            var fields = parsed.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => parsed[k]!);
            Received.Enqueue(new ReceivedCallback(context.Request.HttpMethod, fields));
            context.Response.StatusCode = _status;
            context.Response.Close();
        }
    }

    private static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
