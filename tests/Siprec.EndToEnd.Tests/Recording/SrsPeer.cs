namespace Siprec.EndToEnd.Tests.Recording;

/// <summary>One sipp SRS of a <see cref="GatewayHarness"/> run: its scenario file and the loopback ports it listens on.</summary>
/// <param name="Scenario">File name under <c>samples/sipp/</c>.</param>
/// <param name="SipPort">UDP port of its SIP endpoint on 127.0.0.1.</param>
/// <param name="MediaPort">Its first RTP port (label 1); label 2 goes to <paramref name="MediaPort"/> + 2.</param>
internal sealed record SrsPeer(string Scenario, int SipPort, int MediaPort)
{
    /// <summary>The SRS URI the flow names in <c>recordingServer</c>.</summary>
    public string Uri => $"sip:srs@127.0.0.1:{SipPort}";
}
