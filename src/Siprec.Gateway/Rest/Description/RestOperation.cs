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
    /// Marks a mapped route: this metadata, a unique endpoint name (the OpenAPI <c>operationId</c>, e.g.
    /// <c>TwilioCreateSession</c>; Telnyx's paths without <c>.json</c> get <c>…NoJson</c>) and the dialect as tag.
    /// </summary>
    /// <param name="route">The route's convention builder (MapGet/MapPost).</param>
    /// <param name="dialect">The dialect.</param>
    /// <param name="kind">The operation.</param>
    public static void Describe(IEndpointConventionBuilder route, RestDialect dialect, RestOperationKind kind)
    {
        route.WithTags(dialect.ToString()).WithMetadata(new RestOperation(dialect, kind));
        route.Add(endpoint =>
        {
            var pattern = (endpoint as RouteEndpointBuilder)?.RoutePattern.RawText ?? "";
            var suffix = pattern.EndsWith(".json", StringComparison.Ordinal) ? "" : "NoJson";
            endpoint.Metadata.Add(new EndpointNameMetadata(dialect.ToString() + kind + suffix));
        });
    }
}
