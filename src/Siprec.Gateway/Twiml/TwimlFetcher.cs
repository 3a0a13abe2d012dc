using System.Globalization;
using System.Net.Http;
using System.Text;

namespace Siprec.Gateway.Twiml;

/// <summary>
/// Reads documents and audio for TwiML/TeXML applications: <c>file:</c> URIs from disk, http(s) URLs over
/// <see cref="HttpClient"/> (like the status callbacks: no redirects followed, each request bounded by
/// <see cref="TwimlOptions.FetchTimeout"/> on the gateway's clock, the body read up to a size limit). A document request
/// carries Twilio's call parameters: a form body for POST, the query string for GET. Failures come back as text, never
/// as exceptions, except the caller's own cancellation.
/// </summary>
internal sealed class TwimlFetcher : IDisposable
{
    private readonly HttpClient _client;
    private readonly bool _ownsClient;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    /// <param name="timeout">Longest one fetch may take.</param>
    /// <param name="time">Clock of the timeout.</param>
    /// <param name="client">The client to use (tests); null makes one the fetcher owns.</param>
    public TwimlFetcher(TimeSpan timeout, TimeProvider time, HttpClient? client = null)
    {
        _ownsClient = client is null;
        _client = client ?? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (_ownsClient)
        {
            _client.DefaultRequestHeaders.UserAgent.ParseAdd("Siprec.Gateway/1.0");
        }
        _timeout = timeout;
        _time = time;
    }

    /// <summary>A document's text.</summary>
    /// <param name="url">A <c>file:</c> or http(s) URI.</param>
    /// <param name="method"><c>POST</c> or <c>GET</c> (http only).</param>
    /// <param name="parameters">The webhook's fields (http only).</param>
    /// <param name="maxChars">Larger documents are refused.</param>
    /// <param name="cancellationToken">The call's lifetime.</param>
    /// <returns>The text, or null and why not.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<(string? Text, string? Error)> FetchDocumentAsync(Uri url, string method, IReadOnlyList<KeyValuePair<string, string>> parameters,
        int maxChars, CancellationToken cancellationToken)
    {
        var (bytes, error) = url.IsFile
            ? await ReadFileAsync(url, maxChars * 4L, cancellationToken).ConfigureAwait(false)
            : await SendAsync(Build(url, method, parameters), maxChars * 4L, cancellationToken).ConfigureAwait(false);
        if (bytes is null) return (null, error);
        try
        {
            return (new UTF8Encoding(false, true).GetString(bytes).TrimStart('\uFEFF'), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, "the document is not UTF-8");
        }
    }

    /// <summary>An audio file's bytes (GET for http).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<(byte[]? Bytes, string? Error)> FetchBytesAsync(Uri url, long maxBytes, CancellationToken cancellationToken) =>
        url.IsFile ? ReadFileAsync(url, maxBytes, cancellationToken) : SendAsync(new HttpRequestMessage(HttpMethod.Get, url), maxBytes, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient) _client.Dispose();
    }

    private static HttpRequestMessage Build(Uri url, string method, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        if (method == "GET")
        {
            var builder = new UriBuilder(url);
            var query = new StringBuilder(builder.Query.TrimStart('?'));
            foreach (var (name, value) in parameters)
            {
                if (query.Length > 0) query.Append('&');
                query.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            }
            builder.Query = query.ToString();
            return new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        }
        return new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(parameters) };
    }

    private async Task<(byte[]?, string?)> SendAsync(HttpRequestMessage request, long maxBytes, CancellationToken cancellationToken)
    {
        using var owned = request;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = _time.CreateTimer(static s => ((CancellationTokenSource)s!).Cancel(), bounded, _timeout, Timeout.InfiniteTimeSpan);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, bounded.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            if (code is < 200 or > 299)
            {
                return (null, string.Create(CultureInfo.InvariantCulture, $"{request.Method} {request.RequestUri} answered {code} {response.ReasonPhrase}"));
            }
            if (response.Content.Headers.ContentLength > maxBytes)
            {
                return (null, TooLarge(request.RequestUri!, maxBytes));
            }
            await using var body = await response.Content.ReadAsStreamAsync(bounded.Token).ConfigureAwait(false);
            return await ReadBoundedAsync(body, maxBytes, request.RequestUri!, bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"{request.Method} {request.RequestUri}: no answer within {_timeout.TotalSeconds:0.###} s"));
        }
        catch (HttpRequestException ex)
        {
            return (null, $"{request.Method} {request.RequestUri}: {ex.Message}");
        }
    }

    private static async Task<(byte[]?, string?)> ReadFileAsync(Uri url, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            await using var file = new FileStream(url.LocalPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, useAsync: true);
            return await ReadBoundedAsync(file, maxBytes, url, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"{url.LocalPath}: {ex.Message}");
        }
    }

    private static async Task<(byte[]?, string?)> ReadBoundedAsync(Stream body, long maxBytes, Uri url, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes) return (null, TooLarge(url, maxBytes));
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), null);
    }

    private static string TooLarge(Uri url, long maxBytes) =>
        string.Create(CultureInfo.InvariantCulture, $"{(url.IsFile ? url.LocalPath : url.ToString())} is larger than {maxBytes} bytes");
}
