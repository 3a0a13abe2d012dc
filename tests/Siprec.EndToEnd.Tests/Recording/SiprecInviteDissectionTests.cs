using System.Buffers.Binary;
using System.Text;
using Siprec.EndToEnd.Tests.Peers;

namespace Siprec.EndToEnd.Tests.Recording;

/// <summary>
/// Wireshark as an independent judge of the SIPREC INVITE: captured on loopback on its way from the gateway's
/// SRC to a sipp SRS, dissected with <c>tshark -V</c>, it must show the multipart body with the SDP (two audio
/// m-lines) and the XML metadata, with no malformed packet and no expert warning or error.
/// </summary>
[Collection(SrsScenarioCollection.Name)]
public sealed class SiprecInviteDissectionTests
{
    [SkippableFact]
    public async Task SiprecInvite_CapturedOnLoopback_DissectsWithoutMalformedPacketsOrExpertProblems()
    {
        Siprec.Testing.Peers.Require("tshark");
        await using var harness = new GatewayHarness("srs-accept.xml");
        var sipPort = harness.Srs.SipPort;
        // INVITE, 100, 200, ACK: the capture stops by itself once the INVITE transaction is over.
        using var capture = await LoopbackCapture.StartAsync($"udp port {sipPort}", stopAfterPackets: 4, TimeSpan.FromSeconds(20), harness.WorkDirectory);
        var run = await harness.RunAsync(RecordingFlows.StartWaitStop(seconds: 1));
        run.AssertPeersSucceeded();
        Assert.True(await capture.WaitAsync(TimeSpan.FromSeconds(20)), "tshark did not stop after the INVITE transaction");

        var dissection = await SipDissection.ReadAsync(capture.File, sipPort, "sip.Method == \"INVITE\"");

        Assert.True(dissection.MalformedPackets == 0, $"{dissection.MalformedPackets} malformed packet(s):\n{dissection.Detail}");
        Assert.True(dissection.ExpertProblems.Count == 0, $"expert warnings/errors: {string.Join("; ", dissection.ExpertProblems)}\n{dissection.Detail}");
        Assert.Contains("Session Initiation Protocol (INVITE)", dissection.Detail, StringComparison.Ordinal);
        Assert.Contains("MIME Multipart Media Encapsulation, Type: multipart/mixed", dissection.Detail, StringComparison.Ordinal);
        Assert.Contains("Session Description Protocol", dissection.Detail, StringComparison.Ordinal);
        Assert.Equal(2, Occurrences(dissection.Detail, "Media Description, name and address (m): audio"));
        Assert.Contains("Content-Disposition: recording-session", dissection.Detail, StringComparison.Ordinal);
        Assert.Contains("eXtensible Markup Language", dissection.Detail, StringComparison.Ordinal);
        Assert.Contains("xmlns=\"urn:ietf:params:xml:ns:recording:1\"", dissection.Detail, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Dissection_ReportsAMalformedSdp_InACraftedPacket()
    {
        Siprec.Testing.Peers.Require("tshark");
        var directory = Directory.CreateTempSubdirectory("siprec-e2e-dissect-").FullName;
        try
        {
            var pcap = Path.Combine(directory, "bad.pcap");
            // Port 70000 does not fit in 16 bits: Wireshark's SDP dissector flags it as malformed.
            WriteUdpPcap(pcap, 5555, 5080, Encoding.ASCII.GetBytes(
                "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK1\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: 31\r\n\r\nv=0\r\nm=audio 70000 RTP/AVP 0\r\n"));

            var dissection = await SipDissection.ReadAsync(pcap, 5080, "sip");

            Assert.Equal(1, dissection.MalformedPackets);
            Assert.NotEmpty(dissection.ExpertProblems);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    // A classic pcap (link type 101, raw IPv4) holding one UDP datagram from 127.0.0.1 to 127.0.0.1.
    private static void WriteUdpPcap(string path, int sourcePort, int destinationPort, byte[] payload)
    {
        var packet = new byte[20 + 8 + payload.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = 17;
        packet[12] = 127; packet[15] = 1;
        packet[16] = 127; packet[19] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), (ushort)sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), (ushort)destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), (ushort)(8 + payload.Length));
        payload.CopyTo(packet, 28);

        var file = new byte[24 + 16 + packet.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(file, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(16), 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(20), 101);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(32), (uint)packet.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(36), (uint)packet.Length);
        packet.CopyTo(file, 40);
        File.WriteAllBytes(path, file);
    }
}
