using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Web;

namespace Siprec.Testing.Http;

/// <summary>One request the <see cref="DocumentServer"/> received.</summary>
/// <param name="Method">GET or POST.</param>
/// <param name="Path">The URL path, e.g. <c>/voice</c>.</param>
/// <param name="ContentType">The request's Content-Type; empty for none.</param>
/// <param name="Fields">The form body (POST) or query string (GET) fields.</param>
public sealed record DocumentRequest(string Method, string Path, string ContentType, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// A loopback HTTP server (HttpListener on 127.0.0.1) for voice webhooks: it answers each path with the document set for
/// it (or 404, or a set status code) and records every request with its fields.
/// </summary>
public sealed class DocumentServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, (int Status, string ContentType, byte[] Body)> _documents = new(StringComparer.Ordinal);
    private readonly Task _loop;

    /// <summary>Listens on a free port.</summary>
    public DocumentServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>Every request, in arrival order.</summary>
    public ConcurrentQueue<DocumentRequest> Received { get; } = new();

    /// <summary>The absolute URL of a path (without its leading slash).</summary>
    public Uri UrlOf(string path) => new(BaseUrl + path.TrimStart('/'));

    /// <summary>Answers <paramref name="path"/> with a document.</summary>
    public void Serve(string path, string text, string contentType = "text/xml", int status = 200) =>
        _documents["/" + path.TrimStart('/')] = (status, contentType, Encoding.UTF8.GetBytes(text));

    /// <summary>Answers <paramref name="path"/> with bytes (audio).</summary>
    public void Serve(string path, byte[] body, string contentType) => _documents["/" + path.TrimStart('/')] = (200, contentType, body);

    /// <summary>Waits until <paramref name="count"/> requests arrived.</summary>
    public Task WaitForAsync(int count, TimeSpan bound) => Poll.UntilAsync(() => Received.Count >= count, bound, $"{count} requests at {BaseUrl}");

    /// <inheritdoc />
    public void Dispose() => _listener.Close();

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
            var request = context.Request;
            var text = request.HttpMethod == "POST" ? await new StreamReader(request.InputStream).ReadToEndAsync() : request.Url!.Query.TrimStart('?');
            var parsed = HttpUtility.ParseQueryString(text);
            var fields = parsed.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => parsed[k]!);
            Received.Enqueue(new DocumentRequest(request.HttpMethod, request.Url!.AbsolutePath, request.ContentType ?? "", fields));
            var (status, contentType, body) = _documents.TryGetValue(request.Url.AbsolutePath, out var document) ? document : (404, "text/plain", "not found"u8.ToArray());
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            // An explicit length: without it an empty body goes out chunked and the managed HttpListener can leave the
            // terminating "0" on a kept-open connection, which the next request on it reads as a status line.
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}
