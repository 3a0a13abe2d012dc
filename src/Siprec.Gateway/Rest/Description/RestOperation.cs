using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Siprec.Gateway.Rest.Description;

/// <summary>
/// Endpoint metadata naming a REST route's dialect and operation; the OpenAPI document (<see cref="RestOpenApi"/>) lists
/// exactly the routes that carry it, described by <see cref="RestOperationTransformer"/>.
/// </summary>
/// <param name="Dialect">Twilio or Telnyx paths and shapes.</param>
/// <param name="Kind">What the route does.</param>
internal sealed record RestOperation(RestDialect Dialect, RestOperationKind Kind)
{
    /// <summary>
    /// Maps a REST route described for the OpenAPI document: this metadata, a unique endpoint name (the OpenAPI
    /// <c>operationId</c>, e.g. <c>TwilioCreateSession</c>; Telnyx's paths without <c>.json</c> get <c>…NoJson</c>) and the
    /// dialect as tag. The handler is mapped as a route handler (a <see cref="Delegate"/>, not a <see cref="RequestDelegate"/>)
    /// because ASP.NET's API explorer, which the document generator reads, lists only route handlers.
    /// </summary>
    /// <param name="app">The app's routes.</param>
    /// <param name="method">GET or POST.</param>
    /// <param name="pattern">The route pattern.</param>
    /// <param name="handler">Answers the request (writes the response itself).</param>
    /// <param name="dialect">The dialect.</param>
    /// <param name="kind">The operation.</param>
    public static void Map(IEndpointRouteBuilder app, string method, string pattern, RequestDelegate handler, RestDialect dialect, RestOperationKind kind)
    {
        var suffix = pattern.EndsWith(".json", StringComparison.Ordinal) ? "" : "NoJson";
        app.MapMethods(pattern, [method], (Delegate)((HttpContext context) => handler(context)))
            .WithName(dialect.ToString() + kind + suffix)
            .WithTags(dialect.ToString())
            .WithMetadata(new RestOperation(dialect, kind));
    }
}
