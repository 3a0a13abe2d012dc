using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Media.Codecs;
using Siprec.Media.Rtp;
using Siprec.Media.Srtp;
using Siprec.Media.Wav;
using Siprec.Recorder.Tests.Support;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Testing;

namespace Siprec.Recorder.Tests.Sessions;

/// <summary>
/// The SRS path for SRTP over real UDP on 127.0.0.1: an RTP/SAVP SIPREC offer with one SDES key per stream,
/// SRTP made by <see cref="SrtpContext"/>, a tampered packet and a replay thrown in; the WAV must hold exactly
/// the G.711 decode of what was sent.
/// </summary>
public sealed class RecordingServerSrtpTests : IAsyncLifetime
{
    private const int PacketSamples = 160;
    private const int Packets = 50;
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    private LoopbackSrs _loop = null!;

    public async Task InitializeAsync() => _loop = await LoopbackSrs.StartAsync();

    public async Task DisposeAsync() => await _loop.DisposeAsync();

    [Fact]
    public async Task SrtpWithSdesKeys_IsDecryptedIntoTheWav_AndTamperedOrReplayedPacketsAreDropped()
    {
        var srs = _loop.Server.SipEndPoint;
        var completed = _loop.NextCompletedSession();
        SdesCrypto[] keys = [SdesCrypto.CreateRandom(1), SdesCrypto.CreateRandom(1, SrtpCryptoSuite.AesCm128HmacSha1_32)];
        var offer = SiprecBodies.Secure(SiprecBodies.Offer(1, SdpDirection.SendOnly, _loop.Rtp1.LocalEndPoint.Port, _loop.Rtp2.LocalEndPoint.Port), keys);

        var (contentType, body) = SiprecBodies.Multipart(offer);
        var invite = _loop.Src.CreateInvite(srs, contentType, body);
        var ok = await _loop.Src.SendAsync(invite, srs);
        Assert.Equal(200, ok.StatusCode);
        Assert.True(SdpSession.TryParse(Encoding.UTF8.GetString(ok.Body.Span), out var answer, out var sdpError), sdpError);
        Assert.All(answer!.Media, m => Assert.Equal("RTP/SAVP", m.Protocol));
        Assert.All(answer.Media, m => Assert.NotEqual(0, m.Port));
        var answerKeys = SiprecBodies.AnswerKeys(answer);
        Assert.Equal([SrtpCryptoSuite.AesCm128HmacSha1_80, SrtpCryptoSuite.AesCm128HmacSha1_32], answerKeys.Select(k => k.Suite));
        Assert.NotEqual(answerKeys[0].MasterKey.KeyAndSalt.ToArray(), answerKeys[1].MasterKey.KeyAndSalt.ToArray());
        var dialog = Dialog.CreateAsUac(invite, ok);
        await _loop.Src.Layer.SendAckAsync(dialog.CreateAck(1), srs);
        var destinations = answer.Media.Select(m => new IPEndPoint(IPAddress.Parse(answer.ConnectionFor(m)!.Address), m.Port)).ToArray();

        using var sender1 = new SrtpContext(keys[0].MasterKey, keys[0].Suite);
        using var sender2 = new SrtpContext(keys[1].MasterKey, keys[1].Suite);
        var sent1 = Send(_loop.Rtp1, destinations[0], sender1, stream: 1, firstSequence: 65530);
        var sent2 = Send(_loop.Rtp2, destinations[1], sender2, stream: 2, firstSequence: 1000);

        var session = Assert.Single(_loop.Server.ActiveSessions);
        using (var limit = new CancellationTokenSource(WaitLimit))
        {
            while (session.Streams.Any(s => s.Packets < Packets || s.RejectedSrtpPackets < 2))
            {
                Assert.False(limit.IsCancellationRequested,
                    $"SRS decrypted {string.Join("/", session.Streams.Select(s => s.Packets))} and rejected {string.Join("/", session.Streams.Select(s => s.RejectedSrtpPackets))}");
                await Task.Delay(10, CancellationToken.None);
            }
        }
        Assert.All(session.Streams, s => Assert.Equal(0, s.InvalidPackets));
        _loop.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(200, (await _loop.Src.SendAsync(dialog.CreateRequest(SipMethods.Bye), srs)).StatusCode);
        var summary = await completed.WaitAsync(WaitLimit);

        Assert.Equal([(long)Packets, Packets], summary.Streams.Select(s => s.Packets));
        Assert.Equal([0L, 0L], summary.Streams.Select(s => s.Lost));
        var wav = WavFile.Read(summary.WavPath);
        Assert.Equal(sent1, wav.GetChannel(0).Take(sent1.Length));
        Assert.Equal(sent2, wav.GetChannel(1).Take(sent2.Length));
        Assert.DoesNotContain(File.ReadAllText(summary.JsonPath), Convert.ToBase64String(keys[0].MasterKey.KeyAndSalt));
        // The tampered copy and the replay of each stream were rejected, and the sidecar says so.
        var json = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(summary.JsonPath));
        Assert.All(json["streams"]!, s => Assert.True((long)s["srtpRejected"]! >= 2, s.ToString()));
    }

    /// <summary>
    /// Sends <see cref="Packets"/> SRTP packets whose PCMU bytes never decode to 0, plus a tampered copy
    /// ahead of packet 10 and a replay of packet 5 at the end; returns the samples the WAV must hold.
    /// </summary>
    private static short[] Send(RtpSocket socket, IPEndPoint destination, SrtpContext context, int stream, ushort firstSequence)
    {
        var expected = new short[Packets * PacketSamples];
        var rtp = new byte[RtpHeader.Size + PacketSamples];
        byte[]? replay = null;
        for (var i = 0; i < Packets; i++)
        {
            var payload = rtp.AsSpan(RtpHeader.Size);
            for (var k = 0; k < payload.Length; k++) payload[k] = (byte)(1 + (i * 31 + k * 7 + stream * 13) % 0x7E);
            G711.DecodeMuLaw(payload, expected.AsSpan(i * PacketSamples, PacketSamples));
            new RtpHeader(G711.PcmuPayloadType, i == 0, (ushort)(firstSequence + i), (uint)(i * PacketSamples), (uint)(0x1000 * stream)).Write(rtp);
            var srtp = new byte[rtp.Length + context.TagLength];
            Assert.True(context.TryProtect(rtp, srtp, out _));
            if (i == 10)
            {
                var tampered = srtp.ToArray();
                tampered[RtpHeader.Size + 3] ^= 0x40;
                socket.Send(tampered, destination);
            }
            if (i == 5) replay = srtp;
            socket.Send(srtp, destination);
        }
        socket.Send(replay!, destination);
        return expected;
    }
}
