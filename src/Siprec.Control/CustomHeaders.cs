using Newtonsoft.Json.Linq;

namespace Siprec.Control;

/// <summary>Validation and JSON reading of the custom headers a request forwards to the SRS.</summary>
internal static class CustomHeaders
{
    /// <summary>RFC 3261 §25.1 <c>token</c>: what a header name may consist of.</summary>
    public static bool IsToken(string name)
    {
        if (name.Length == 0) return false;
        foreach (var c in name)
        {
            var ok = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
                || c is '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>A value is safe when it holds no control character other than TAB (no header injection).</summary>
    public static bool IsSafeValue(string value) => !SrsUriList.HasForbiddenControlCharacter(value);

    /// <summary>
    /// Reads <c>{"X-Foo":"bar", "X-N": 1}</c>: scalar values become their JSON text, objects and arrays are
    /// refused. Names must pass <see cref="CustomHeaderPolicy"/>, values be control-free.
    /// </summary>
    public static bool TryRead(JToken token, out IReadOnlyDictionary<string, string> headers, out RecordingControlError? error)
    {
        headers = new Dictionary<string, string>();
        error = null;
        if (token is not JObject obj)
        {
            error = new RecordingControlError(400, RecordingErrorTexts.JsonBodyNotObject);
            return false;
        }
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in obj.Properties())
        {
            string? value = property.Value.Type switch
            {
                JTokenType.String => (string?)property.Value,
                JTokenType.Integer or JTokenType.Float or JTokenType.Boolean => property.Value.ToString(Newtonsoft.Json.Formatting.None),
                JTokenType.Null => string.Empty,
                _ => null,
            };
            if (value is null)
            {
                error = new RecordingControlError(400, RecordingErrorTexts.JsonBodyNotObject);
                return false;
            }
            var refusal = CustomHeaderPolicy.Refusal(property.Name)
                ?? (IsSafeValue(value) ? null : "its value holds a control character");
            if (refusal is not null)
            {
                error = new RecordingControlError(400, RecordingErrorTexts.InvalidCustomHeader(property.Name, refusal));
                return false;
            }
            result[property.Name] = value;
        }
        headers = result;
        return true;
    }

    /// <summary>The headers as a JSON object, in the dictionary's order.</summary>
    public static JObject ToJson(IReadOnlyDictionary<string, string> headers)
    {
        var obj = new JObject();
        foreach (var (name, value) in headers) obj[name] = value;
        return obj;
    }
}
