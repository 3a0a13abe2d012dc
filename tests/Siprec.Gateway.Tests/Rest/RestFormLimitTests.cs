using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Siprec.Gateway.RecordingControl;
using Siprec.Gateway.Tests.Support;
using Siprec.Testing;

namespace Siprec.Gateway.Tests.Rest;

/// <summary>
/// Form bodies beyond the REST limits, or malformed, over real HTTP: a 400/413 whose JSON body names the limit, no INVITE to
/// the SRS, and no Error line (the 500 path logs one with the exception).
/// </summary>
public sealed class RestFormLimitTests : IAsyncLifetime
{
    private readonly ListLoggerFactory _logs = new();
    private RestHarness _h = null!;

    public async Task InitializeAsync() => _h = await RestHarness.StartAsync(loggerFactory: _logs);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task MoreFieldsThanMaxFields_Answers413NamingTheLimit()
    {
        var body = "ConnectorName=ok&" + string.Join("&", Enumerable.Range(0, 300).Select(i => $"f{i}=1"));

        await AssertRefusedAsync(UrlEncoded(body), HttpStatusCode.RequestEntityTooLarge, "more than 256 form fields (MaxFields)");
    }

    [Fact]
    public async Task AFieldNameLongerThanMaxKeyLength_Answers400NamingTheLimit()
    {
        await AssertRefusedAsync(UrlEncoded("ConnectorName=ok&" + new string('k', 200) + "=1"), HttpStatusCode.BadRequest,
            "a form field name is longer than 128 characters (MaxKeyLength)");
    }

    [Fact]
    public async Task ABodyLargerThanMaxBodyBytes_Answers413NamingTheLimit()
    {
        await AssertRefusedAsync(UrlEncoded("ConnectorName=ok&Name=" + new string('n', 70_000)), HttpStatusCode.RequestEntityTooLarge,
            "request body larger than 65536 bytes (MaxBodyBytes)");
    }

    [Theory]
    [InlineData("Name=%FF%FE")]
    [InlineData("Name=caf%E9")]
    [InlineData("N%C3%28me=x")]
    public async Task AFieldThatIsNotUtf8AfterPercentDecoding_Answers400NamingIt(string field)
    {
        var (_, body) = await AssertRefusedAsync(UrlEncoded("ConnectorName=ok&" + field), HttpStatusCode.BadRequest, "is not valid UTF-8");

        Assert.StartsWith("form field ", Detail(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RawNonUtf8BytesInAField_Answer400NamingIt()
    {
        var bytes = Encoding.ASCII.GetBytes("ConnectorName=ok&Name=").Concat(new byte[] { 0xC0, 0xAF, 0xFF }).ToArray();

        var (_, body) = await AssertRefusedAsync(Content(bytes, "application/x-www-form-urlencoded"), HttpStatusCode.BadRequest, "is not valid UTF-8");

        Assert.Equal("form field Name is not valid UTF-8", Detail(body));
    }

    [Fact]
    public async Task MultipartWithoutABoundary_Answers400NamingIt()
    {
        await AssertRefusedAsync(Content("--x\r\n"u8.ToArray(), "multipart/form-data"), HttpStatusCode.BadRequest,
            "multipart/form-data without a boundary parameter");
    }

    [Fact]
    public async Task MultipartWithABoundaryLongerThan70_Answers400NamingTheLimit()
    {
        var boundary = new string('b', 100);
        var body = Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"ConnectorName\"\r\n\r\nok\r\n--{boundary}--\r\n");

        await AssertRefusedAsync(Content(body, "multipart/form-data; boundary=" + boundary), HttpStatusCode.BadRequest,
            "multipart boundary longer than 70 characters (MaxMultipartBoundaryLength");
    }

    [Fact]
    public async Task MultipartThatEndsBeforeItsClosingBoundary_Answers400()
    {
        var body = "--xyz\r\nContent-Disposition: form-data; name=\"ConnectorName\"\r\n\r\nok\r\n--xy"u8.ToArray();

        await AssertRefusedAsync(Content(body, "multipart/form-data; boundary=xyz"), HttpStatusCode.BadRequest, "malformed form body");
    }

    [Fact]
    public async Task AWellFormedMultipartBody_StillCreatesTheSession()
    {
        using var form = new MultipartFormDataContent("b0undary") { { new StringContent("ok"), "ConnectorName" }, { new StringContent("mp"), "Name" } };

        var (status, body) = await _h.SendContentAsync(_h.Path(), form);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("mp", (string?)body["name"]);
    }

    private async Task<(HttpStatusCode Status, Newtonsoft.Json.Linq.JObject Body)> AssertRefusedAsync(HttpContent content, HttpStatusCode expected,
                                                                                                        string named)
    {
        var (status, body) = await _h.SendContentAsync(_h.Path(), content);

        Assert.Equal(expected, status);
        Assert.Contains(named, Detail(body), StringComparison.Ordinal);
        Assert.Equal(expected is HttpStatusCode.BadRequest ? RestErrorCodes.InvalidParameter : RestErrorCodes.RequestBodyRefused,
            (int?)body["errors"]![0]!["code"]);
        Assert.Equal(0, _h.Srs.Invites);
        Assert.DoesNotContain(_logs.Lines, l => l.Level >= LogLevel.Error);
        Assert.Contains(_logs.Lines, l => l.EventId == 1303 && l.Message.Contains(named, StringComparison.Ordinal));
        return (status, body);
    }

    private static string Detail(Newtonsoft.Json.Linq.JObject body) => (string?)body["errors"]![0]!["detail"] ?? "";

    private static ByteArrayContent UrlEncoded(string body) => Content(Encoding.ASCII.GetBytes(body), "application/x-www-form-urlencoded");

    private static ByteArrayContent Content(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }
}
