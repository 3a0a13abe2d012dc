using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace Siprec.Gateway.Cluster;

/// <summary>
/// Forwards a REST request for a call held by another node to that node with a plain <see cref="HttpClient"/> (method,
/// path and query, body, <c>Content-Type</c>, <c>Accept</c> and <c>Authorization</c>, so the owner checks the caller's
/// credentials again), and copies the owner's exact answer back: status, <c>Content-Type</c>, body. A forwarded request
/// carries <see cref="ForwardedHeader"/> and is never forwarded again, so two nodes with stale entries cannot loop.
/// </summary>
internal sealed class RestForwarder : IDisposable
{
    /// <summary>Marks a request forwarded by a node (value: the forwarding node's id).</summary>
    public const string ForwardedHeader = "X-Siprec-Forwarded-By";

    private readonly HttpClient _http;
    private readonly string _nodeId;

    /// <param name="nodeId">This node's id (the value of <see cref="ForwardedHeader"/>).</param>
    /// <param name="timeout">The longest the owner may take to answer (its own operation timeout plus slack).</param>
    public RestForwarder(string nodeId, TimeSpan timeout)
    {
        _nodeId = nodeId;
        Timeout = timeout;
        // Owners come and go: do not keep a pooled connection to a dead node longer than a heartbeat or two.
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2), PooledConnectionLifetime = TimeSpan.FromSeconds(30), UseCookies = false })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The longest the owner may take to answer.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>True when another node already forwarded this request here.</summary>
    public static bool WasForwarded(HttpRequest request) => request.Headers.ContainsKey(ForwardedHeader);

    /// <summary>
    /// Sends <paramref name="context"/>'s request to the same path on <paramref name="owner"/> and, when it answers, writes its
    /// answer as this request's response.
    /// </summary>
    /// <returns>The outcome and the owner's status (0 unless <see cref="ForwardOutcome.Answered"/>), or the failure's reason.</returns>
    public async Task<(ForwardOutcome Outcome, int Status, string Reason)> ForwardAsync(HttpContext context, Uri owner)
    {
        var incoming = context.Request;
        var target = new Uri(owner, incoming.PathBase + incoming.Path + incoming.QueryString);
        using var request = new HttpRequestMessage(new HttpMethod(incoming.Method), target);
        if (incoming.ContentLength > 0 || incoming.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(incoming.Body);
            if (incoming.ContentType is { } type) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        }
        if (incoming.Headers.Authorization.ToString() is { Length: > 0 } authorization)
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (incoming.Headers.Accept.ToString() is { Length: > 0 } accept)
            request.Headers.TryAddWithoutValidation("Accept", accept);
        request.Headers.TryAddWithoutValidation(ForwardedHeader, _nodeId);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        bound.CancelAfter(Timeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, bound.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            return (ForwardOutcome.Unreachable, 0, ex.HttpRequestError + ": " + ex.Message);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            return (ForwardOutcome.TimedOut, 0, $"no answer within {Timeout.TotalSeconds:0} s");
        }
        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(bound.Token).ConfigureAwait(false);
            context.Response.StatusCode = (int)response.StatusCode;
            if (response.Content.Headers.ContentType is { } contentType) context.Response.ContentType = contentType.ToString();
            if (response.Headers.WwwAuthenticate.Count > 0) context.Response.Headers.WWWAuthenticate = response.Headers.WwwAuthenticate.ToString();
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
            return (ForwardOutcome.Answered, (int)response.StatusCode, "");
        }
    }

    /// <summary>Closes the forwarding connections.</summary>
    public void Dispose() => _http.Dispose();
}
