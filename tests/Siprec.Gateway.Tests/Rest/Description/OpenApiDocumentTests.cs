using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Siprec.Gateway.Tests.Support;

namespace Siprec.Gateway.Tests.Rest.Description;

/// <summary>
/// Issue 16: the REST API's OpenAPI document at <c>/openapi/v1.json</c> on the gateway's REST port: it reads as OpenAPI 3,
/// every route the app maps is in it with its method (or is one of the operator endpoints deliberately left out), every
/// example validates against its schema, and the documented form and query field names are the ones the code reads.
/// </summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    // Operator endpoints, deliberately not part of the vendor-compatible API (RestOpenApi's summary says why).
    private static readonly string[] Undocumented = ["/healthz", "/readyz", "/admin/drain", "/metrics", "/console", "/openapi/{documentName}.json"];

    private RestHarness _h = null!;
    private string _text = "";
    private JsonNode _document = null!;

    public async Task InitializeAsync()
    {
        _h = await RestHarness.StartAsync();
        using var response = await _h.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        _text = await response.Content.ReadAsStringAsync();
        _document = JsonNode.Parse(_text)!;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public void TheDocument_ReadsAsOpenApi3_WithoutErrors_AndDeclaresBothAuthSchemes()
    {
        var result = OpenApiModelFactory.Parse(_text, "json");

        Assert.NotNull(result.Document);
        Assert.Empty(result.Diagnostic!.Errors);
        Assert.StartsWith("3.", (string?)_document["openapi"], StringComparison.Ordinal);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, result.Diagnostic.SpecificationVersion);
        Assert.Equal(["apiKey", "basic"], result.Document.Components!.SecuritySchemes!.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheServer_IsRelative_WhateverHostTheClientSends()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Host = "attacker.example:8443";
        using var response = await _h.Http.SendAsync(request);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("/", (string?)Assert.Single(document["servers"]!.AsArray())!["url"]);
        Assert.Equal("/", (string?)Assert.Single(_document["servers"]!.AsArray())!["url"]);
        Assert.DoesNotContain("attacker.example", document.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheServer_IsThePublicUrl_WhenOneIsConfigured()
    {
        await using var h = await RestHarness.StartAsync(configure: o => o with { RestPublicUrl = new Uri("https://api.example.com/base") });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Host = "attacker.example";
        using var response = await h.Http.SendAsync(request);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("https://api.example.com", (string?)Assert.Single(document["servers"]!.AsArray())!["url"]);
    }

    [Fact]
    public void EveryMappedRoute_IsInTheDocument_WithItsMethod_BodyAndErrors_AndNothingElseIs()
    {
        var routes = _h.Gateway.HttpEndpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (Path: "/" + e.RoutePattern.RawText!.TrimStart('/'), Method: m.ToLowerInvariant())))
            .Where(r => !Undocumented.Contains(r.Path))
            .ToHashSet();
        var documented = _document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(o => o.Key is "get" or "post" or "put" or "delete" or "patch").Select(o => (Path: p.Key, Method: o.Key)))
            .ToHashSet();

        Assert.Contains(routes, r => r.Path.StartsWith("/2010-04-01/", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Path.StartsWith("/v2/texml/", StringComparison.Ordinal));
        Assert.Empty(routes.Except(documented));
        Assert.Empty(documented.Except(routes));
        foreach (var (path, method) in routes)
        {
            var operation = _document["paths"]![path]![method]!;
            var where = method + " " + path;
            Assert.False(string.IsNullOrEmpty((string?)operation["operationId"]), where);
            var responses = operation["responses"]!.AsObject();
            Assert.Contains(responses, r => r.Key.StartsWith('2') && r.Value!["content"]?["application/json"]?["schema"]?["$ref"] is not null);
            Assert.Contains(responses, r => r.Key == "401" && r.Value!["content"]?["application/json"]?["schema"]?["$ref"] is not null);
            Assert.Contains(responses, r => r.Key == "404");
            foreach (var name in System.Text.RegularExpressions.Regex.Matches(path, @"\{(\w+)\}").Select(m => m.Groups[1].Value))
            {
                Assert.Contains(operation["parameters"]!.AsArray(), p => (string?)p!["name"] == name && (string?)p["in"] == "path");
            }
            if (method == "post")
            {
                Assert.NotNull(operation["requestBody"]?["content"]?["application/x-www-form-urlencoded"]?["schema"]);
            }
        }
    }

    [Fact]
    public void EveryExample_ValidatesAgainstItsSchema()
    {
        var checkedExamples = 0;
        foreach (var (path, item) in _document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var media = (operation!["responses"]?.AsObject().SelectMany(r => r.Value!["content"]?.AsObject() ?? []) ?? [])
                    .Concat(operation["requestBody"]?["content"]?.AsObject() ?? []);
                foreach (var (type, content) in media)
                {
                    if (content!["example"] is not { } example)
                    {
                        continue;
                    }
                    var problems = SchemaCheck.Validate(example, content["schema"]!, _document);
                    Assert.True(problems.Count == 0, $"{method} {path} {type}: {string.Join("; ", problems)}");
                    checkedExamples++;
                }
            }
        }
        // Every operation has a success and at least three error examples; POSTs a form example too.
        Assert.True(checkedExamples >= 4 * _document["paths"]!.AsObject().Count, $"only {checkedExamples} examples");
    }

    [Fact]
    public void TheSchemaCheck_RejectsAMissingRequiredProperty_AWrongType_AndAValueOutsideTheEnum()
    {
        var schema = _document["components"]!["schemas"]!["TwilioSiprecSession"]!;
        var good = _document["paths"]!["/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Siprec/{Sid}.json"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["example"]!;
        var missing = good.DeepClone().AsObject();
        missing.Remove("sid");
        var wrongType = good.DeepClone().AsObject();
        wrongType["error_code"] = "31941";
        var badEnum = good.DeepClone().AsObject();
        badEnum["recorders"]![0]!["status"] = "recording";

        Assert.Empty(SchemaCheck.Validate(good, schema, _document));
        Assert.Contains(SchemaCheck.Validate(missing, schema, _document), p => p.Contains("required property sid", StringComparison.Ordinal));
        Assert.Contains(SchemaCheck.Validate(wrongType, schema, _document), p => p.StartsWith("$.error_code: string", StringComparison.Ordinal));
        Assert.Contains(SchemaCheck.Validate(badEnum, schema, _document), p => p.StartsWith("$.recorders[0].status", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/2010-04-01")]
    [InlineData("/v2/texml")]
    public async Task EveryDocumentedCreateField_IsReadByTheGateway_ABadValueIsRefusedNamingIt(string prefix)
    {
        var form = _document["paths"]![prefix + "/Accounts/{AccountSid}/Calls/{CallSid}/Siprec.json"]!["post"]!["requestBody"]!["content"]!["application/x-www-form-urlencoded"]!["schema"]!;
        var fields = form["properties"]!.AsObject().Select(p => p.Key).Append("Parameter100.Name").ToList();

        Assert.Equal(["ConnectorName", "IncludeMetadataCustomHeaders", "Name", "RecordingRequired", "Secure", "SessionTimeoutSecs", "SipTransport",
                      "StatusCallback", "StatusCallbackMethod", "Track"], fields.SkipLast(1).Order(StringComparer.Ordinal));
        Assert.Matches(form["patternProperties"]!.AsObject().Single().Key, "Parameter99.Value");
        foreach (var field in fields)
        {
            var bad = field is "Name" or "ConnectorName" ? new string('n', 65) : field == "Parameter100.Name" ? "x" : "bogus value";
            var (status, body) = await _h.SendAsync(_h.Path(prefix: prefix), [(field, bad)]);

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(field, body.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheDocumentedUpdateField_AndCallListQuery_AreReadByTheGateway_ABadValueIsRefusedNamingIt()
    {
        var post = _document["paths"]!["/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Siprec/{Sid}.json"]!["post"]!;
        var update = post["requestBody"]!["content"]!["application/x-www-form-urlencoded"]!["schema"]!["properties"]!.AsObject().Single().Key;
        var (created, session) = await _h.CreateAsync();
        Assert.Equal(HttpStatusCode.Created, created);
        var (status, body) = await _h.SendAsync(_h.Path(sidOrName: (string)session["sid"]!), [(update, "bogus")]);
        Assert.Equal((HttpStatusCode.BadRequest, true), (status, body.ToString().Contains("invalid Status", StringComparison.Ordinal)));

        var list = _document["paths"]!["/2010-04-01/Accounts/{AccountSid}/Calls.json"]!["get"]!;
        var query = list["parameters"]!.AsArray().Where(p => (string?)p!["in"] == "query").Select(p => (string)p!["name"]!).ToList();
        Assert.Equal(["Page", "PageSize", "PageToken", "Status"], query.Order(StringComparer.Ordinal));
        foreach (var name in query)
        {
            var (listStatus, error) = await _h.SendAsync($"/2010-04-01/Accounts/{RestHarness.AccountA}/Calls.json?{name}=-bogus", null);
            Assert.Equal(HttpStatusCode.BadRequest, listStatus);
            Assert.Contains("invalid " + name, (string?)error["message"], StringComparison.Ordinal);
        }
    }
}
