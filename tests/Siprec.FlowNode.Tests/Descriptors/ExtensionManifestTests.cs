using System.Buffers.Binary;
using Newtonsoft.Json.Linq;
using Siprec.FlowNode.Descriptors;
using Siprec.Testing;

namespace Siprec.FlowNode.Tests.Descriptors;

public sealed class ExtensionManifestTests
{
    private static string ManifestDirectory => Path.Combine(RepoPaths.Root, "extension-manifest");

    private static JObject Schema => JObject.Parse(File.ReadAllText(Path.Combine(ManifestDirectory, "manifest.schema.json")));

    [Fact]
    public void CheckedInManifest_EqualsTheOneGeneratedFromTheDescriptors()
    {
        var checkedIn = File.ReadAllText(Path.Combine(ManifestDirectory, ExtensionManifest.FileName)).ReplaceLineEndings("\n");

        var generated = DescriptorJson.Serialize(ExtensionManifest.Create());

        Assert.True(checkedIn == generated,
            "extension-manifest/manifest.json is stale; regenerate it with: dotnet run --project src/Siprec.Cli -- node manifest --out extension-manifest");
    }

    [Fact]
    public void GeneratedManifest_ConformsToTheSchema()
    {
        var manifest = JObject.Parse(DescriptorJson.Serialize(ExtensionManifest.Create()));

        Assert.Empty(JsonSchemaSubset.Validate(Schema, manifest));
    }

    [Fact]
    public void Schema_RejectsAManifestMissingRequiredOrCarryingUnknownProperties()
    {
        var manifest = JObject.Parse(DescriptorJson.Serialize(ExtensionManifest.Create()));
        manifest.Remove("version");
        var node = (JObject)manifest["nodes"]![0]!;
        node.Remove("type");
        node["fields"]![0]!["colour"] = "red";
        node["fields"]![1]!["type"] = "text";

        var problems = JsonSchemaSubset.Validate(Schema, manifest);

        Assert.Contains("$: required property 'version' is missing", problems);
        Assert.Contains("$.nodes[0]: required property 'type' is missing", problems);
        Assert.Contains("$.nodes[0].fields[0]: property 'colour' is not allowed", problems);
        Assert.Contains(problems, p => p.StartsWith("$.nodes[0].fields[1].type: \"text\" is not one of", StringComparison.Ordinal));
    }

    [Fact]
    public void Serialize_UsesCamelCaseInDeclaredOrder_AndLeavesUnsetMembersOut()
    {
        var json = DescriptorJson.Serialize(ExtensionManifest.Create());
        var node = JObject.Parse(json)["nodes"]![0]!;

        Assert.Equal(["name", "version", "label", "description", "icon", "nodes"], JObject.Parse(json).Properties().Select(p => p.Name));
        Assert.Equal(["type", "defaultLabel", "summary", "appearance", "fields", "sections", "form", "preview", "tags"],
            ((JObject)node).Properties().Select(p => p.Name));
        Assert.Equal(["key", "type", "label", "description", "params", "condition"], ((JObject)node["fields"]![1]!).Properties().Select(p => p.Name));
        Assert.DoesNotContain("\r", json, StringComparison.Ordinal);
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
        Assert.EndsWith("}\n", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Icon_IsA64By64Png()
    {
        var bytes = File.ReadAllBytes(Path.Combine(ManifestDirectory, ExtensionManifest.Create().Icon!));

        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(64u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(64u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(20)));
    }
}
