using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Siprec.Gateway.Tests.Rest.Description;

/// <summary>
/// Checks a JSON value against a JSON Schema of an OpenAPI 3.1 document, for the keywords the gateway's document uses:
/// <c>$ref</c> (to <c>#/components/schemas/…</c>), <c>type</c> (a name or a list, with <c>null</c>), <c>required</c>,
/// <c>properties</c>, <c>patternProperties</c>, <c>items</c> and <c>enum</c>. Returns every mismatch with its JSON path.
/// </summary>
internal static class SchemaCheck
{
    /// <summary>The mismatches of <paramref name="value"/> against <paramref name="schema"/>; empty when it validates.</summary>
    public static List<string> Validate(JsonNode? value, JsonNode schema, JsonNode document, string path = "$")
    {
        var problems = new List<string>();
        Check(value, schema, document, path, problems);
        return problems;
    }

    private static void Check(JsonNode? value, JsonNode schema, JsonNode document, string path, List<string> problems)
    {
        if (schema["$ref"] is { } reference)
        {
            var target = ((string)reference!).TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate((JsonNode?)document, (node, part) => node?[part]);
            if (target is null)
            {
                problems.Add($"{path}: unresolved {reference}");
                return;
            }
            Check(value, target, document, path, problems);
            return;
        }
        if (schema["type"] is { } type)
        {
            var allowed = type is JsonArray list ? list.Select(t => (string)t!).ToList() : [(string)type!];
            var actual = Kind(value);
            if (!allowed.Contains(actual) && !(actual == "integer" && allowed.Contains("number")))
            {
                problems.Add($"{path}: {actual} where the schema allows {string.Join("|", allowed)}");
                return;
            }
        }
        if (schema["enum"] is JsonArray values && value is not null && !values.Any(v => JsonNode.DeepEquals(v, value)))
        {
            problems.Add($"{path}: {value.ToJsonString()} is not one of {values.ToJsonString()}");
        }
        if (value is JsonObject obj)
        {
            foreach (var name in (schema["required"] as JsonArray ?? []).Select(r => (string)r!))
            {
                if (!obj.ContainsKey(name))
                {
                    problems.Add($"{path}: required property {name} missing");
                }
            }
            foreach (var (name, child) in obj)
            {
                if (schema["properties"]?[name] is { } property)
                {
                    Check(child, property, document, path + "." + name, problems);
                }
                else if ((schema["patternProperties"] as JsonObject)?.FirstOrDefault(p => Regex.IsMatch(name, p.Key)).Value is { } patterned)
                {
                    Check(child, patterned, document, path + "." + name, problems);
                }
            }
        }
        if (value is JsonArray array && schema["items"] is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(array[i], items, document, $"{path}[{i}]", problems);
            }
        }
    }

    private static string Kind(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => "string",
        JsonValue v when v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "boolean",
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => v.ToJsonString().IndexOfAny(['.', 'e', 'E']) < 0 ? "integer" : "number",
        _ => "unknown",
    };
}
