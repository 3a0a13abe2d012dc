using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Siprec.Gateway.Rest;

/// <summary>
/// The endpoints load balancers and orchestrators expect (issue 15), without credentials: <c>GET /healthz</c> answers 200
/// <c>{"status":"ok"}</c> while the process serves HTTP; <c>GET /readyz</c> answers 200 <c>{"status":"ready"}</c> or 503
/// <c>{"status":"not-ready","reasons":[…]}</c>; <c>POST /admin/drain</c> from a trusted peer address starts a drain and answers
/// 202 <c>{"status":"draining"}</c> (403 from anyone else).
/// </summary>
internal static class HealthEndpoints
{
    /// <summary>Maps the three endpoints onto <paramref name="app"/>.</summary>
    public static void Map(WebApplication app, GatewayHealth health)
    {
        app.MapGet("/healthz", context => WriteAsync(context, 200, new JObject { ["status"] = "ok" }));
        app.MapGet("/readyz", context =>
        {
            var problems = health.Problems();
            return problems.Count == 0
                ? WriteAsync(context, 200, new JObject { ["status"] = "ready" })
                : WriteAsync(context, 503, new JObject { ["status"] = "not-ready", ["reasons"] = new JArray(problems) });
        });
        app.MapPost("/admin/drain", context =>
        {
            if (context.Connection.RemoteIpAddress is not { } remote || !health.MayDrain(remote))
            {
                return WriteAsync(context, 403, new JObject { ["status"] = "forbidden", ["detail"] = "only a trusted peer address may drain this gateway" });
            }
            health.Drain("POST /admin/drain from " + remote);
            return WriteAsync(context, 202, new JObject { ["status"] = "draining" });
        });
    }

    private static Task WriteAsync(HttpContext context, int status, JObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(body.ToString(Formatting.None), context.RequestAborted);
    }
}
