using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Siprec.Control;
using Siprec.Gateway.RecordingControl;

namespace Siprec.Gateway.Rest.Description;

/// <summary>
/// Describes a route marked with <see cref="RestOperation"/>: path and query parameters, the form body (names exactly as
/// <see cref="RestRecordingRequest"/> reads them), the success body and every error status the operation can answer,
/// each with its dialect's schema (a component from <see cref="RestSchemas"/>) and an example from <see cref="RestExamples"/>.
/// </summary>
internal sealed class RestOperationTransformer : IOpenApiOperationTransformer
{
    private const string Json = "application/json";

    /// <inheritdoc />
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RestOperation>().LastOrDefault() is not { } rest)
        {
            return Task.CompletedTask;
        }
        var (dialect, kind) = (rest.Dialect, rest.Kind);
        operation.Summary = Summary(kind) + " (" + dialect + " path)";
        operation.Parameters = Parameters(kind);
        operation.RequestBody = kind switch
        {
            RestOperationKind.CreateSession => Form(RestSchemas.CreateForm(), new JsonObject { ["ConnectorName"] = "ok", ["Name"] = "main", ["Track"] = "both_tracks" }),
            RestOperationKind.UpdateSession => Form(RestSchemas.UpdateForm(), new JsonObject { ["Status"] = RestRecordingStatus.Stopped }),
            _ => null,
        };
        var (status, shape) = kind switch
        {
            RestOperationKind.CreateSession => (dialect == RestDialect.Twilio ? 201 : 200, "SiprecSession"),
            RestOperationKind.UpdateSession or RestOperationKind.FetchSession => (200, "SiprecSession"),
            RestOperationKind.ListSessions => (200, "SiprecSessionList"),
            RestOperationKind.ListCalls => (200, "CallPage"),
            _ => (200, "Call"),
        };
        operation.Responses = new OpenApiResponses
        {
            [status.ToString(CultureInfo.InvariantCulture)] = Response(context.Document!, dialect, shape, Summary(kind) + ": done.", RestExamples.Body(dialect, shape)),
        };
        foreach (var (code, why) in Errors(kind))
        {
            operation.Responses[code.ToString(CultureInfo.InvariantCulture)] =
                Response(context.Document!, dialect, "Error", why, RestExamples.Error(dialect, code, why));
        }
        return Task.CompletedTask;
    }

    private static string Summary(RestOperationKind kind) => kind switch
    {
        RestOperationKind.CreateSession => "Start a SIPREC session on a call",
        RestOperationKind.ListSessions => "List a call's SIPREC sessions",
        RestOperationKind.UpdateSession => "Stop, pause or resume a SIPREC session (by SID or name)",
        RestOperationKind.FetchSession => "Fetch a SIPREC session (by SID or name)",
        RestOperationKind.ListCalls => "List the account's calls",
        _ => "Fetch a call",
    };

    private static List<IOpenApiParameter> Parameters(RestOperationKind kind)
    {
        var parameters = new List<IOpenApiParameter> { Path("AccountSid", "The account (AC + 32 hex); another account's SID answers 404.") };
        if (kind != RestOperationKind.ListCalls)
        {
            parameters.Add(Path("CallSid", "The call (CA + 32 hex; the X-Call-Sid header of the gateway's 200 OK)."));
        }
        if (kind is RestOperationKind.UpdateSession or RestOperationKind.FetchSession)
        {
            parameters.Add(Path("Sid", "The session's SID (SR + 32 hex) or its Name."));
        }
        if (kind == RestOperationKind.ListCalls)
        {
            parameters.AddRange(RestSchemas.CallListQueryFields().Select(f => (IOpenApiParameter)new OpenApiParameter
            {
                Name = f.Name, In = ParameterLocation.Query, Required = false, Description = f.Schema.Description, Schema = f.Schema,
            }));
        }
        return parameters;
    }

    private static OpenApiParameter Path(string name, string description) => new()
    {
        Name = name, In = ParameterLocation.Path, Required = true, Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static OpenApiRequestBody Form(OpenApiSchema schema, JsonObject example) => new()
    {
        Required = false,
        Description = "Form fields (case-sensitive names); an empty body is an empty form.",
        Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
        {
            ["application/x-www-form-urlencoded"] = new() { Schema = schema, Example = example },
            ["multipart/form-data"] = new() { Schema = schema },
        },
    };

    private static OpenApiResponse Response(OpenApiDocument document, RestDialect dialect, string shape, string description, JsonNode example)
    {
        var name = RestSchemas.Name(dialect, shape);
        if (document.Components?.Schemas?.ContainsKey(name) != true)
        {
            document.AddComponent<IOpenApiSchema>(name, RestSchemas.Bodies(dialect)[shape]);
        }
        return new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                [Json] = new() { Schema = new OpenApiSchemaReference(name, document), Example = example },
            },
        };
    }

    // The statuses each operation can answer besides success (RestApi, RestFormReader, the controller's results, ClusterRouting).
    private static IEnumerable<(int Status, string Why)> Errors(RestOperationKind kind)
    {
        yield return (401, "Authentication required: Basic AccountSid:AuthToken or Bearer API key");
        yield return (404, RecordingErrorTexts.ResourceNotFound);
        if (kind is RestOperationKind.CreateSession or RestOperationKind.UpdateSession or RestOperationKind.ListCalls)
        {
            yield return (400, "A field is missing or invalid, or the call or session is not in a state that allows it.");
        }
        if (kind is RestOperationKind.CreateSession or RestOperationKind.UpdateSession)
        {
            yield return (413, "The form body is larger than the configured limits.");
            yield return (415, RestFormReader.UnsupportedBody);
        }
        if (kind != RestOperationKind.ListCalls)
        {
            yield return (504, "The operation, or (cluster mode) the gateway holding the call, did not answer in time.");
        }
        if (kind == RestOperationKind.CreateSession)
        {
            yield return (503, "No recorder accepted the session.");
        }
        yield return (500, "internal error");
    }
}
