using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Siprec.FlowNode.Tests.Descriptors;

/// <summary>
/// Checks a JSON value against the keywords extension-manifest/manifest.schema.json uses ($ref to #/$defs, type,
/// required, properties, additionalProperties false, items, enum, pattern, minLength, minItems). Any other keyword
/// in the schema is reported, so the schema cannot silently outgrow this checker.
/// </summary>
internal static class JsonSchemaSubset
{
    private static readonly HashSet<string> Known =
    [
        "$schema", "$id", "$defs", "title", "description", "$ref", "type", "required", "properties",
        "additionalProperties", "items", "enum", "pattern", "minLength", "minItems",
    ];

    public static IReadOnlyList<string> Validate(JObject schema, JToken value)
    {
        var problems = new List<string>();
        Check(schema, schema, value, "$", problems);
        return problems;
    }

    private static void Check(JObject root, JObject schema, JToken value, string path, List<string> problems)
    {
        foreach (var property in schema.Properties().Where(p => !Known.Contains(p.Name)))
        {
            problems.Add($"schema keyword '{property.Name}' at {path} is not supported by the checker");
        }
        if (schema["$ref"] is JValue reference)
        {
            var name = ((string)reference!).Replace("#/$defs/", string.Empty, StringComparison.Ordinal);
            Check(root, (JObject)root["$defs"]![name]!, value, path, problems);
            return;
        }
        if (schema["type"] is JValue type && !HasType(value, (string)type!))
        {
            problems.Add($"{path}: expected {type}, got {value.Type}");
            return;
        }
        if (schema["enum"] is JArray choices && !choices.Any(c => JToken.DeepEquals(c, value)))
        {
            problems.Add($"{path}: {value.ToString(Newtonsoft.Json.Formatting.None)} is not one of {choices.ToString(Newtonsoft.Json.Formatting.None)}");
        }
        if (value.Type == JTokenType.String)
        {
            var text = (string)value!;
            if (schema["pattern"] is JValue pattern && !Regex.IsMatch(text, (string)pattern!)) problems.Add($"{path}: '{text}' does not match {pattern}");
            if (schema["minLength"] is JValue min && text.Length < (int)min) problems.Add($"{path}: shorter than {min}");
        }
        if (value is JArray array)
        {
            if (schema["minItems"] is JValue minItems && array.Count < (int)minItems) problems.Add($"{path}: fewer than {minItems} items");
            if (schema["items"] is JObject items)
            {
                for (var i = 0; i < array.Count; i++) Check(root, items, array[i], $"{path}[{i}]", problems);
            }
        }
        if (value is JObject obj)
        {
            var properties = schema["properties"] as JObject ?? [];
            foreach (var name in schema["required"]?.Values<string>() ?? [])
            {
                if (obj[name!] is null) problems.Add($"{path}: required property '{name}' is missing");
            }
            foreach (var property in obj.Properties())
            {
                if (properties[property.Name] is JObject sub) Check(root, sub, property.Value, $"{path}.{property.Name}", problems);
                else if (schema["additionalProperties"] is JValue { Type: JTokenType.Boolean } allowed && !(bool)allowed)
                {
                    problems.Add($"{path}: property '{property.Name}' is not allowed");
                }
            }
        }
    }

    private static bool HasType(JToken value, string type) => type switch
    {
        "object" => value.Type == JTokenType.Object,
        "array" => value.Type == JTokenType.Array,
        "string" => value.Type == JTokenType.String,
        "boolean" => value.Type == JTokenType.Boolean,
        "integer" => value.Type == JTokenType.Integer,
        "number" => value.Type is JTokenType.Integer or JTokenType.Float,
        _ => false,
    };
}
