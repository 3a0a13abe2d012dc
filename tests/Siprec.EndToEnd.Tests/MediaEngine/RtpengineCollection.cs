namespace Siprec.EndToEnd.Tests.MediaEngine;

/// <summary>
/// The tests that record through rtpengine run one at a time: the rtpengine counters are process-wide, and a test that
/// reads them must see only its own recording's packets.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RtpengineCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "rtpengine";
}
