using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Siprec.Control;

namespace Siprec.Gateway.Rest;

/// <summary>
/// Reads a REST request's form body within <see cref="RestFormLimits"/> with ASP.NET Core's form readers, and turns every way a
/// body can be too big or malformed (too many fields, a long name, a bad multipart boundary, bytes that are not UTF-8) into a
/// 400/413/415 naming what was wrong, instead of an exception that would surface as a 500.
/// </summary>
internal static class RestFormReader
{
    /// <summary>The 415 text: the only body types the API reads.</summary>
    public const string UnsupportedBody = "the body must be application/x-www-form-urlencoded";

    /// <summary>The fields in body order (a repeated name appears each time), or the error to answer.</summary>
    /// <exception cref="OperationCanceledException">The client went away.</exception>
    public static async Task<(IReadOnlyList<KeyValuePair<string, string?>>? Fields, RecordingControlError? Error)> ReadAsync(
        HttpRequest request, RestFormLimits limits)
    {
        if (request.ContentLength is 0 or null && !request.HasFormContentType)
        {
            return ([], null);
        }
        if (!request.HasFormContentType)
        {
            return (null, new RecordingControlError(415, UnsupportedBody));
        }
        try
        {
            var multipart = request.ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase);
            var fields = multipart ? await ReadMultipartAsync(request, limits).ConfigureAwait(false) : await ReadUrlEncodedAsync(request, limits).ConfigureAwait(false);
            return fields.Error is null ? (fields.Fields, null) : (null, fields.Error);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(limits));
        }
        catch (BadHttpRequestException ex)
        {
            return (null, new RecordingControlError(ex.StatusCode, "malformed request body: " + RecordingErrorTexts.Printable(ex.Message)));
        }
        catch (InvalidDataException ex)
        {
            return (null, Describe(ex.Message, limits));
        }
        catch (IOException ex) when (!request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // A multipart body that ends before its closing boundary.
            return (null, new RecordingControlError(400, "malformed form body: " + RecordingErrorTexts.Printable(ex.Message)));
        }
    }

    private static async Task<(IReadOnlyList<KeyValuePair<string, string?>> Fields, RecordingControlError? Error)> ReadUrlEncodedAsync(
        HttpRequest request, RestFormLimits limits)
    {
        // Buffered (Kestrel stops it at MaxBodyBytes) so the raw bytes can be checked: the form reader keeps a %-escape that
        // does not decode to UTF-8 as literal text and replaces raw non-UTF-8 bytes, so neither would be noticed after it.
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted).ConfigureAwait(false);
        var bytes = body.GetBuffer().AsMemory(0, (int)body.Length);
        var reader = new FormPipeReader(PipeReader.Create(new ReadOnlySequence<byte>(bytes)), Encoding.UTF8)
        {
            ValueCountLimit = limits.MaxFields,
            KeyLengthLimit = limits.MaxKeyLength,
            ValueLengthLimit = limits.MaxBodyBytes,
        };
        var fields = new List<KeyValuePair<string, string?>>();
        foreach (var (key, values) in await reader.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false))
        {
            fields.AddRange(values.Select(v => new KeyValuePair<string, string?>(key, v)));
        }
        return (fields, FindNonUtf8Field(bytes.Span));
    }

    private static async Task<(IReadOnlyList<KeyValuePair<string, string?>> Fields, RecordingControlError? Error)> ReadMultipartAsync(
        HttpRequest request, RestFormLimits limits)
    {
        var options = new FormOptions
        {
            ValueCountLimit = limits.MaxFields,
            KeyLengthLimit = limits.MaxKeyLength,
            ValueLengthLimit = limits.MaxBodyBytes,
            MultipartBoundaryLengthLimit = limits.MaxMultipartBoundaryLength,
            MultipartBodyLengthLimit = limits.MaxBodyBytes,
        };
        var form = await new FormFeature(request, options).ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        var fields = form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string?>(f.Key, v))).ToList();
        // Multipart parts are decoded with replacement; U+FFFD is where a part was not UTF-8 (or sent that very character).
        var bad = fields.FirstOrDefault(f => f.Key.Contains('\uFFFD', StringComparison.Ordinal) || f.Value?.Contains('\uFFFD', StringComparison.Ordinal) == true);
        return (fields, bad.Key is null ? null : NotUtf8(bad.Key));
    }

    // Each name and value of an x-www-form-urlencoded body, %-decoded, must be UTF-8 (the WHATWG URL standard's decoding).
    private static RecordingControlError? FindNonUtf8Field(ReadOnlySpan<byte> body)
    {
        foreach (var pairRange in body.Split((byte)'&'))
        {
            var pair = body[pairRange];
            var equals = pair.IndexOf((byte)'=');
            var key = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? [] : Decode(pair[(equals + 1)..]);
            if (!Utf8.IsValid(key) || !Utf8.IsValid(value))
            {
                return NotUtf8(Encoding.UTF8.GetString(key));
            }
        }
        return null;
    }

    private static byte[] Decode(ReadOnlySpan<byte> encoded) => WebUtility.UrlDecodeToBytes(encoded.ToArray(), 0, encoded.Length) ?? [];

    private static RecordingControlError NotUtf8(string field) =>
        new(400, "form field " + RecordingErrorTexts.Printable(field) + " is not valid UTF-8");

    private static RecordingControlError TooLarge(RestFormLimits limits) =>
        new(413, string.Create(CultureInfo.InvariantCulture, $"request body larger than {limits.MaxBodyBytes} bytes (MaxBodyBytes)"));

    // ASP.NET's form readers say which of their limits was hit only in the message; each is mapped to ours by its words.
    private static RecordingControlError Describe(string message, RestFormLimits limits)
    {
        bool Says(string words) => message.Contains(words, StringComparison.OrdinalIgnoreCase);
        if (Says("value count"))
            return new(413, string.Create(CultureInfo.InvariantCulture, $"more than {limits.MaxFields} form fields (MaxFields)"));
        if (Says("key length"))
            return new(400, string.Create(CultureInfo.InvariantCulture, $"a form field name is longer than {limits.MaxKeyLength} characters (MaxKeyLength)"));
        if (Says("boundary length"))
            return new(400, string.Create(CultureInfo.InvariantCulture,
                $"multipart boundary longer than {limits.MaxMultipartBoundaryLength} characters (MaxMultipartBoundaryLength, RFC 2046 §5.1.1)"));
        if (Says("missing content-type boundary"))
            return new(400, "multipart/form-data without a boundary parameter (RFC 2046 §5.1.1)");
        if (Says("body length") || Says("value length"))
            return TooLarge(limits);
        return new(400, "malformed form body: " + RecordingErrorTexts.Printable(message));
    }
}
