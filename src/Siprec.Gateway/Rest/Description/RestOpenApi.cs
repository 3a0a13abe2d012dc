using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Siprec.Gateway.Rest.Description;

/// <summary>
/// The REST API's OpenAPI 3.1 document (Microsoft.AspNetCore.OpenApi), served at <see cref="DocumentPath"/> on the REST
/// port without credentials (it holds no account data). It lists exactly the routes marked with <see cref="RestOperation"/>
/// (the Twilio and Telnyx paths); the operator endpoints (<c>/healthz</c>, <c>/readyz</c>, <c>/admin/drain</c>,
/// <c>/metrics</c>, <c>/console</c>) and the document itself are deliberately left out: they are not part of the
/// vendor-compatible API a client is generated for.
/// </summary>
internal static class RestOpenApi
{
    /// <summary>The document's name.</summary>
    public const string DocumentName = "v1";

    /// <summary>Where the document is served.</summary>
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>Registers the document generator with its transformers.</summary>
    /// <param name="services">The REST host's services.</param>
    /// <param name="publicBaseUrl">
    /// The absolute URL clients reach the API at (<see cref="GatewayOptions.RestPublicUrl"/>): the document's one server. Null:
    /// the relative server <c>/</c>, never the request's Host header, which a client chooses (a forged Host would otherwise be
    /// written into the document as the API's address).
    /// </param>
    public static void AddRestOpenApi(this IServiceCollection services, string? publicBaseUrl) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description => description.ActionDescriptor.EndpointMetadata.OfType<RestOperation>().Any();
            options.AddOperationTransformer<RestOperationTransformer>();
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Siprec.FlowNode gateway REST API",
                    Version = DocumentName,
                    Description = "Twilio-compatible (/2010-04-01) and Telnyx-compatible (/v2/texml) SIPREC and Calls resources (DESIGN §4.4).",
                };
                document.Servers = [new OpenApiServer { Url = publicBaseUrl ?? "/" }];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
                document.Components.SecuritySchemes["basic"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "basic", Description = "AccountSid as user, AuthToken as password.",
                };
                document.Components.SecuritySchemes["apiKey"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "An account's API key (Telnyx style).",
                };
                document.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("basic", document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("apiKey", document)] = [] },
                ];
                return Task.CompletedTask;
            });
        });

    /// <summary>Serves the document at <see cref="DocumentPath"/>.</summary>
    public static void MapRestOpenApi(this IEndpointRouteBuilder app) => app.MapOpenApi("/openapi/{documentName}.json");
}
