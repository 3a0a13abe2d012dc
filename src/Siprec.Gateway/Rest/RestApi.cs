using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Siprec.Control;
using Siprec.Gateway.Observability;
using Siprec.Media.Forwarding;
using Siprec.Observability.Console;
using Siprec.Observability.Hosting;
using Siprec.Observability.Metrics;
using Siprec.Gateway.Calls;
using Siprec.Gateway.Configuration;
using Siprec.Gateway.RecordingControl;
using Siprec.Gateway.Rest.Description;
using Siprec.Recording.Connectors;

namespace Siprec.Gateway.Rest;

/// <summary>
/// The REST API of DESIGN §4.4 on Kestrel (ASP.NET Core minimal APIs): Twilio and Telnyx paths to create, update
/// (stop / pause / resume by SID or name), fetch and list a call's SIPREC sessions. A thin adapter: every change goes
/// through the call's <see cref="RecordingController"/>, like INFO and the node. An ended call's sessions stay readable
/// while the gateway keeps them (<see cref="GatewayOptions.EndedCallRetention"/>): fetch and list answer them stopped,
/// a stop answers the resource unchanged, and a create, pause or resume gets the call-ended error.
/// </summary>
internal sealed class RestApi : IAsyncDisposable
{
    private readonly RestCallDirectory _calls;
    private readonly string? _publicBaseUrl;
    private readonly RestAuthenticator _authenticator;
    private readonly SrsConnectorOptions _connectors;
    private readonly int _maxRecorders;
    private readonly RestFormLimits _formLimits;
    private readonly ILogger _logger;
    private readonly Uri? _otlpEndpoint;
    private WebApplication? _app;

    /// <param name="calls">The live calls and the ended ones still kept.</param>
    /// <param name="accounts">Accounts and their secrets.</param>
    /// <param name="connectors">SRS connectors by name (case-insensitive), validated.</param>
    /// <param name="maxRecorders">The most SRS URIs one start may name.</param>
    /// <param name="formLimits">Bounds on a form body, validated.</param>
    /// <param name="publicBaseUrl">The absolute URL clients reach the API at (Telnyx's absolute <c>uri</c>); null: each request's scheme and Host.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="otlpEndpoint">OTLP collector for the gateway's metrics (configuration <c>otlp.endpoint</c>); null: Prometheus scrape only.</param>
    public RestApi(RestCallDirectory calls, IReadOnlyList<GatewayAccount> accounts, SrsConnectorOptions connectors, int maxRecorders,
                   RestFormLimits formLimits, Uri? publicBaseUrl, ILogger<RestApi> logger, Uri? otlpEndpoint = null)
    {
        _otlpEndpoint = otlpEndpoint;
        _formLimits = formLimits;
        _calls = calls;
        _publicBaseUrl = publicBaseUrl?.GetLeftPart(UriPartial.Authority);
        _authenticator = new RestAuthenticator(accounts);
        _connectors = connectors;
        _maxRecorders = maxRecorders;
        _logger = logger;
    }

    /// <summary>Cluster mode: where requests for calls held by other nodes go; null on a gateway without a registry.</summary>
    public ClusterRouting? Cluster { get; init; }

    /// <summary>Health, readiness and drain (<c>/healthz</c>, <c>/readyz</c>, <c>/admin/drain</c>); null maps none of them.</summary>
    public GatewayHealth? Health { get; init; }

    /// <summary>The bound endpoint (the real port when 0 was asked for).</summary>
    /// <exception cref="InvalidOperationException">Not started.</exception>
    public IPEndPoint EndPoint { get; private set; } = new(IPAddress.None, 0);

    /// <summary>Every endpoint the API serves (the OpenAPI document must describe each REST route); empty before start.</summary>
    internal IReadOnlyList<Endpoint> Endpoints => _app is null ? [] : [.. ((IEndpointRouteBuilder)_app).DataSources.SelectMany(d => d.Endpoints)];

    /// <summary>Binds <paramref name="endPoint"/> and starts serving.</summary>
    /// <exception cref="IOException">The endpoint cannot be bound.</exception>
    public async Task StartAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var builder = OperatorWebHost.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddMetricsExport(new MetricsExportOptions
        {
            ServiceName = "siprec-gateway",
            MeterNames = [GatewayMetrics.MeterName, ForwarderMetrics.MeterName],
            OtlpEndpoint = _otlpEndpoint,
        });
        builder.Services.AddRestOpenApi(_publicBaseUrl);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(endPoint);
            k.Limits.MaxRequestBodySize = _formLimits.MaxBodyBytes;
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        if (Health is not null)
        {
            HealthEndpoints.Map(app, Health);
        }
        // The console and the scrape are read-only views for operators: open on loopback, else the REST API's credentials.
        app.UseConsoleAccess(endPoint, authorization => _authenticator.Authenticate(authorization) is not null, GatewayConsolePage.Path, MetricsExport.ScrapePath);
        app.MapMetricsExport();
        app.MapRestOpenApi();
        app.MapGet(GatewayConsolePage.Path, () => Results.Content(GatewayConsolePage.Render(_calls.All()), "text/html; charset=utf-8"));
        foreach (var dialect in new[] { RestDialect.Twilio, RestDialect.Telnyx })
        {
            // Route values are case-insensitive: {AccountSid} is read as "accountSid"; the names are the vendors' (OpenAPI paths).
            var prefix = (dialect == RestDialect.Twilio ? "/2010-04-01" : "/v2/texml") + "/Accounts/{AccountSid}/Calls/{CallSid}/Siprec";
            RestOperation.Map(app, HttpMethods.Post, prefix + ".json", ctx => HandleAsync(ctx, dialect, CreateAsync), dialect, RestOperationKind.CreateSession);
            RestOperation.Map(app, HttpMethods.Get, prefix + ".json", ctx => HandleAsync(ctx, dialect, ListAsync), dialect, RestOperationKind.ListSessions);
            RestOperation.Map(app, HttpMethods.Post, prefix + "/{Sid}.json", ctx => HandleAsync(ctx, dialect, UpdateAsync), dialect, RestOperationKind.UpdateSession);
            RestOperation.Map(app, HttpMethods.Get, prefix + "/{Sid}.json", ctx => HandleAsync(ctx, dialect, FetchAsync), dialect, RestOperationKind.FetchSession);
            MapCalls(app, dialect);
        }
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address);
        EndPoint = new IPEndPoint(IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port);
        Log.Listening(_logger, EndPoint.ToString());
    }

    /// <summary>Stops serving.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
        Cluster?.Dispose();
    }

    private delegate Task<(int Status, JObject Body)> Operation(HttpContext context, RestDialect dialect, GatewayAccount account, RestCall call);

    private delegate Task<(int Status, JObject Body)> AccountOperation(HttpContext context, RestDialect dialect, GatewayAccount account);

    // Cluster mode: a call this node does not hold goes to its owner (credentials checked here first, and again there).
    private async Task HandleAsync(HttpContext context, RestDialect dialect, Operation operation)
    {
        if (Cluster is { } cluster && (string?)context.GetRouteValue("callSid") is { } callSid && _calls.Find(callSid) is null
            && _authenticator.Authenticate(context.Request.Headers.Authorization) is { } account && account.Sid == (string?)context.GetRouteValue("accountSid"))
        {
            var (answered, refusal) = await cluster.RouteAsync(context, callSid, account.Sid).ConfigureAwait(false);
            if (answered)
            {
                return;
            }
            if (refusal is { } refused)
            {
                await HandleAsync(context, dialect, (_, _, _) => Task.FromResult(refused)).ConfigureAwait(false);
                return;
            }
        }
        await HandleLocalAsync(context, dialect, operation).ConfigureAwait(false);
    }

    // A call's resources: another account's call, and an unknown one, look the same: not there for this account.
    private Task HandleLocalAsync(HttpContext context, RestDialect dialect, Operation operation) =>
        HandleAsync(context, dialect, (ctx, d, account) =>
        {
            var callSid = (string?)ctx.GetRouteValue("callSid");
            var call = callSid is null ? null : _calls.Find(callSid);
            return call is null || call.AccountSid != account.Sid ? Task.FromResult(NotFound()) : operation(ctx, d, account, call);
        });

    private async Task HandleAsync(HttpContext context, RestDialect dialect, AccountOperation operation)
    {
        var request = context.Request;
        int status;
        JObject body;
        try
        {
            var account = _authenticator.Authenticate(request.Headers.Authorization);
            if (account is null)
            {
                Log.Unauthenticated(_logger, request.Method, request.Path, context.Connection.RemoteIpAddress?.ToString() ?? "");
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"siprec\"";
                await WriteAsync(context, dialect, 401, SiprecResourceJson.Error("Authentication required: Basic AccountSid:AuthToken or Bearer API key")).ConfigureAwait(false);
                return;
            }
            (status, body) = account.Sid != (string?)context.GetRouteValue("accountSid")
                ? NotFound()
                : await operation(context, dialect, account).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            (status, body) = (ex.StatusCode, SiprecResourceJson.Error(RecordingErrorTexts.Printable(ex.Message)));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away mid-request: nobody to answer, nothing went wrong on our side.
            return;
        }
        catch (Exception ex)
        {
            Log.Failed(_logger, ex, request.Method, request.Path);
            (status, body) = (500, SiprecResourceJson.Error("internal error"));
        }
        if (status is >= 200 and < 300)
        {
            Log.Answered(_logger, request.Method, request.Path, status);
        }
        else
        {
            Log.Refused(_logger, request.Method, request.Path, status, (string?)body.SelectToken("errors[0].detail") ?? "");
        }
        await WriteAsync(context, dialect, status, body).ConfigureAwait(false);
    }

    private async Task<(int, JObject)> CreateAsync(HttpContext context, RestDialect dialect, GatewayAccount account, RestCall target)
    {
        var (form, error) = await RestFormReader.ReadAsync(context.Request, _formLimits).ConfigureAwait(false);
        if (form is null)
        {
            return FormRefused(error!);
        }
        if (!RestRecordingRequest.TryParse(form, out var rest, out error))
        {
            return (error!.StatusCode, SiprecResourceJson.Error(error.Text, RestErrorCodes.For(error)));
        }
        if (!ApiStartMapping.TryMap(rest!, _connectors, account.DefaultConnector, _maxRecorders, target.CallSid, account.Sid, out var start, out var options, out error))
        {
            var code = error!.Field == "ConnectorName" && rest!.ConnectorName is not null ? RestErrorCodes.InvalidConnectorName : RestErrorCodes.For(error);
            return (error.StatusCode, SiprecResourceJson.Error(error.Text, code));
        }
        if (target.Live is not { } call)
        {
            return CallNotInProgress();
        }
        using var scope = LogScope.ForCall(_logger, call.CallSid);
        var result = await ExecuteAsync(call, start!, options!).ConfigureAwait(false);
        if (!result.IsSuccess || result.Resource is null)
        {
            // Under RecordingRequired the detail also says the call is being ended.
            return (result.StatusCode, SiprecResourceJson.Error(result.FullText ?? "", RestErrorCodes.For(result)));
        }
        return (dialect == RestDialect.Twilio ? 201 : 200, SiprecResourceJson.Resource(result.Resource, dialect, account.Sid));
    }

    private async Task<(int, JObject)> UpdateAsync(HttpContext context, RestDialect dialect, GatewayAccount account, RestCall target)
    {
        var resource = target.Find((string)context.GetRouteValue("sid")!);
        if (resource is null)
        {
            return NotFound();
        }
        var (form, error) = await RestFormReader.ReadAsync(context.Request, _formLimits).ConfigureAwait(false);
        if (form is null)
        {
            return FormRefused(error!);
        }
        var statusText = form.FirstOrDefault(f => f.Key == "Status").Value;
        if (!RestRecordingStatus.TryParseUpdate(statusText, out var action, out error))
        {
            return (error!.StatusCode, SiprecResourceJson.Error(error.Text, RestErrorCodes.For(error)));
        }
        if (target.Live is not { } call)
        {
            // Every session of an ended call is stopped: stopping it again is a no-op; pausing or resuming it is too late.
            return action == RecordingAction.Stop ? (200, SiprecResourceJson.Resource(resource, dialect, account.Sid)) : CallNotInProgress();
        }
        using var scope = LogScope.ForCall(_logger, call.CallSid);
        var request = new RecordingControlRequest { Action = action, CallSid = call.CallSid, AccountSid = account.Sid };
        // The controller decides: a stopped session stops again as a no-op, pausing or resuming it is invalid.
        var result = await ExecuteAsync(call, request, RecordingRequestOptions.For(resource.Sid)).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return (result.StatusCode, SiprecResourceJson.Error(result.Text ?? "", RestErrorCodes.For(result)));
        }
        return (200, SiprecResourceJson.Resource(result.Resource ?? call.Controller.Resources.Find(resource.Sid)!, dialect, account.Sid,
            call.Controller.StreamReports(resource.Sid)));
    }

    private Task<(int, JObject)> FetchAsync(HttpContext context, RestDialect dialect, GatewayAccount account, RestCall target)
    {
        var resource = target.Find((string)context.GetRouteValue("sid")!);
        return Task.FromResult(resource is null ? NotFound() : (200, SiprecResourceJson.Resource(resource, dialect, account.Sid, target.Live?.Controller.StreamReports(resource.Sid))));
    }

    private Task<(int, JObject)> ListAsync(HttpContext context, RestDialect dialect, GatewayAccount account, RestCall target) =>
        Task.FromResult((200, SiprecResourceJson.List(target.Sessions, dialect, account.Sid, target.CallSid,
            target.Live is { } live ? live.Controller.StreamReports : null)));

    // The Calls resource (issue 13): Twilio's paths end in .json; Telnyx documents them without, and its list URIs with.
    private void MapCalls(WebApplication app, RestDialect dialect)
    {
        var prefix = (dialect == RestDialect.Twilio ? "/2010-04-01" : "/v2/texml") + "/Accounts/{AccountSid}/Calls";
        RestOperation.Map(app, HttpMethods.Get, prefix + ".json", ctx => HandleAsync(ctx, dialect, ListCallsAsync), dialect, RestOperationKind.ListCalls);
        RestOperation.Map(app, HttpMethods.Get, prefix + "/{CallSid}.json", ctx => HandleAsync(ctx, dialect, FetchCallAsync), dialect, RestOperationKind.FetchCall);
        if (dialect == RestDialect.Telnyx)
        {
            RestOperation.Map(app, HttpMethods.Get, prefix, ctx => HandleAsync(ctx, dialect, ListCallsAsync), dialect, RestOperationKind.ListCalls);
            RestOperation.Map(app, HttpMethods.Get, prefix + "/{CallSid}", ctx => HandleAsync(ctx, dialect, FetchCallAsync), dialect, RestOperationKind.FetchCall);
        }
    }

    private Task<(int, JObject)> ListCallsAsync(HttpContext context, RestDialect dialect, GatewayAccount account)
    {
        if (!CallListQuery.TryParse(context.Request.Query, out var query, out var error))
        {
            return Task.FromResult((error!.StatusCode, SiprecResourceJson.Error(error.Text, RestErrorCodes.For(error))));
        }
        var page = CallPage.Of(_calls.ForAccount(account.Sid), query!);
        return Task.FromResult((200, CallResourceJson.Page(page, dialect, account.Sid)));
    }

    private Task<(int, JObject)> FetchCallAsync(HttpContext context, RestDialect dialect, GatewayAccount account, RestCall call) =>
        Task.FromResult((200, CallResourceJson.Resource(call, dialect, account.Sid)));

    private static async Task<RecordingCommandResult> ExecuteAsync(GatewayCall call, RecordingControlRequest request, RecordingRequestOptions options)
    {
        try
        {
            return await call.Controller.ExecuteAsync(request, options, call.Lifetime).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return new RecordingCommandResult(500, GatewayTexts.CallEnded);
        }
    }

    private static (int, JObject) FormRefused(RecordingControlError error) =>
        (error.StatusCode, SiprecResourceJson.Error(error.Text, RestErrorCodes.For(error)));

    private static (int, JObject) NotFound() => (404, SiprecResourceJson.Error(RecordingErrorTexts.ResourceNotFound));

    // A request on a call already known to have ended is the client's mistake (Twilio answers 400, error 21220); a call
    // ending while a request is being carried out is the controller's 500 GatewayTexts.CallEnded.
    private static (int, JObject) CallNotInProgress() => (400, SiprecResourceJson.Error(GatewayTexts.CallNotInProgress, 400));

    // Each dialect's documented differences (error shape and codes, Telnyx's absolute uri) are applied here, once.
    private Task WriteAsync(HttpContext context, RestDialect dialect, int status, JObject body)
    {
        var shaped = RestDialectShape.Apply(dialect, status, body, _publicBaseUrl ?? context.Request.Scheme + "://" + context.Request.Host.Value);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(shaped.ToString(Formatting.None), context.RequestAborted);
    }
}
