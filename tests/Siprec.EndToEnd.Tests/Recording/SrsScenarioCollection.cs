namespace Siprec.EndToEnd.Tests.Recording;

/// <summary>Runs the SRS scenario tests one after the other: each holds a gateway, two or three sipp processes and tshark on a shared 2-core machine.</summary>
[CollectionDefinition(Name)]
public sealed class SrsScenarioCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "sipp SRS scenarios";
}
