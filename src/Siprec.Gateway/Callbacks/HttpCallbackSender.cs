using System.Globalization;
using System.Net.Http;
using System.Text;

namespace Siprec.Gateway.Callbacks;

/// <summary>
/// <see cref="ICallbackSender"/> over <see cref="HttpClient"/>: GET puts the fields in the query string, POST sends them
/// as <c>application/x-www-form-urlencoded</c> (as Twilio does). Each try is bounded by the request timeout.
/// </summary>
internal sealed class HttpCallbackSender : ICallbackSender, IDisposable
{
    private readonly HttpClient _client;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    /// <param name="timeout">Longest one request may take.</param>
    /// <param name="time">Clock for the timeout.</param>
    public HttpCallbackSender(TimeSpan timeout, TimeProvider time)
    {
        _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("Siprec.Gateway/1.0");
        _timeout = timeout;
        _time = time;
    }

    /// <inheritdoc />
    public async Task<CallbackAttempt> SendAsync(StatusCallback callback, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = _time.CreateTimer(static s => ((CancellationTokenSource)s!).Cancel(), bounded, _timeout, Timeout.InfiniteTimeSpan);
        using var request = Build(callback);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, bounded.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return new CallbackAttempt(code is >= 200 and < 300, string.Create(CultureInfo.InvariantCulture, $"{code} {response.StatusCode}"));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new CallbackAttempt(false, string.Create(CultureInfo.InvariantCulture, $"no answer within {_timeout.TotalSeconds:0.###} s"));
        }
        catch (HttpRequestException ex)
        {
            return new CallbackAttempt(false, ex.Message);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private static HttpRequestMessage Build(StatusCallback callback)
    {
        if (callback.Method == "GET")
        {
            var builder = new UriBuilder(callback.Url);
            var query = new StringBuilder(builder.Query.TrimStart('?'));
            foreach (var (name, value) in callback.Fields)
            {
                if (query.Length > 0) query.Append('&');
                query.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            }
            builder.Query = query.ToString();
            return new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        }
        return new HttpRequestMessage(HttpMethod.Post, callback.Url) { Content = new FormUrlEncodedContent(callback.Fields) };
    }
}
