namespace Siprec.Gateway.Configuration;

/// <summary>A named set of SRSs the REST API records to (<c>ConnectorName</c>, DESIGN §4.4); recorded in parallel.</summary>
/// <param name="Name">The connector's name, unique in the configuration.</param>
/// <param name="SrsUris">The <c>sip:</c>/<c>sips:</c> URIs of its recorders.</param>
public sealed record SrsConnector(string Name, IReadOnlyList<string> SrsUris);
