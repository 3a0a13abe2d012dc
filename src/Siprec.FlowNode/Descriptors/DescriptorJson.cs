using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace Siprec.FlowNode.Descriptors;

/// <summary>
/// Writes descriptors and manifests as JSON the same way every time: camelCase names in declared order, unset
/// (null) members left out, two-space indentation, LF line ends and a final newline, so the checked-in
/// <c>extension-manifest/manifest.json</c> can be compared byte for byte with a fresh one.
/// </summary>
public static class DescriptorJson
{
    private static readonly JsonSerializerSettings Settings = new()
    {
        ContractResolver = new DefaultContractResolver { NamingStrategy = new CamelCaseNamingStrategy() },
        NullValueHandling = NullValueHandling.Ignore,
        Formatting = Formatting.Indented,
    };

    /// <summary>Serializes <paramref name="value"/> (a <see cref="ExtensionManifest"/> or <see cref="NodeDescriptor"/>).</summary>
    public static string Serialize(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return JsonConvert.SerializeObject(value, Settings).ReplaceLineEndings("\n") + "\n";
    }
}
