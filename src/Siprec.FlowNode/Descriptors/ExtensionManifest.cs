using Newtonsoft.Json;

namespace Siprec.FlowNode.Descriptors;

/// <summary>
/// The designer-facing package (<c>extension-manifest/manifest.json</c>): name, version, label, description,
/// icon and the descriptors of its nodes. <see cref="Create"/> builds this toolkit's package.
/// </summary>
public sealed record ExtensionManifest
{
    /// <summary>The package's name in this toolkit; stable, lower-case, dash-separated.</summary>
    public const string PackageName = "siprec-call-recording";

    /// <summary>The package version (semantic versioning); raise it when a descriptor changes.</summary>
    public const string PackageVersion = "1.0.0";

    /// <summary>The file name of the manifest JSON in <c>extension-manifest/</c>.</summary>
    public const string FileName = "manifest.json";

    /// <summary>A machine name (lower-case, digits, dashes).</summary>
    [JsonProperty(Order = 1)]
    public required string Name { get; init; }

    /// <summary>Semantic version <c>MAJOR.MINOR.PATCH</c>.</summary>
    [JsonProperty(Order = 2)]
    public required string Version { get; init; }

    /// <summary>The package's title in the designer UI.</summary>
    [JsonProperty(Order = 3)]
    public required string Label { get; init; }

    /// <summary>What the package does, in one or two sentences.</summary>
    [JsonProperty(Order = 4)]
    public required string Description { get; init; }

    /// <summary>The icon file beside the manifest (64×64 PNG).</summary>
    [JsonProperty(Order = 5)]
    public string? Icon { get; init; }

    /// <summary>The nodes the package provides.</summary>
    [JsonProperty(Order = 6)]
    public required IReadOnlyList<NodeDescriptor> Nodes { get; init; }

    /// <summary>This toolkit's package: the Call Recording node (<see cref="CallRecordingNodeDescriptor"/>).</summary>
    public static ExtensionManifest Create() => new()
    {
        Name = PackageName,
        Version = PackageVersion,
        Label = "SIPREC Call Recording",
        Description = "Start, stop, pause and resume recording the call over SIPREC (RFC 7866) to one or more recording servers, from inside a voice flow.",
        Icon = "icon.png",
        Nodes = [CallRecordingNodeDescriptor.Create()],
    };
}
