namespace Siprec.Observability.Tests;

/// <summary>
/// The tests that run demo calls share the process-wide meters (<c>Siprec.Media</c> is static, and every gateway's and SRS's
/// meter of one name is read by every exporter), so they run one at a time for the gauges to mean one call.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RecordedCallCollection
{
    public const string Name = "recorded calls";
}
