using System.Net;
using Siprec.Media.Srtp;
using Siprec.Recording.Offers;
using Siprec.Sip.Sdp;

namespace Siprec.Recording.Tests.Offers;

public sealed class RecordingSdpSrtpTests
{
    [Fact]
    public void Build_WithKeys_WritesSavpLinesEachWithItsOwnCrypto()
    {
        SdesCrypto[] keys = [SdesCrypto.CreateRandom(), SdesCrypto.CreateRandom()];

        var sdp = RecordingSdp.Build("siprec-src", 7, 1, IPAddress.Loopback, [("1", 40000), ("2", 40002)], SdpDirection.SendOnly, keys);

        Assert.All(sdp.Media, m => Assert.Equal("RTP/SAVP", m.Protocol));
        for (var i = 0; i < 2; i++)
        {
            Assert.True(SdesCrypto.TryParse(sdp.Media[i].GetAttribute("crypto"), out var parsed, out var error), error);
            Assert.Equal(keys[i].MasterKey.KeyAndSalt.ToArray(), parsed!.MasterKey.KeyAndSalt.ToArray());
        }
    }

    [Fact]
    public void ReadDestinations_WhenSecure_DropsLinesAnsweredWithoutSavpOrWithoutAUsableCrypto()
    {
        var key = SdesCrypto.CreateRandom().FormatAttributeValue();
        string answer = "v=0\r\no=srs 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
            $"m=audio 41000 RTP/SAVP 0\r\na=recvonly\r\na=crypto:{key}\r\n" +
            $"m=audio 41002 RTP/AVP 0\r\na=recvonly\r\na=crypto:{key}\r\n" +
            "m=audio 41004 RTP/SAVP 0\r\na=recvonly\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ=\r\n";
        Assert.True(SdpSession.TryParse(answer, out var session, out var error), error);

        var secure = RecordingSdp.ReadDestinations(session!, 3, secure: true);
        var plain = RecordingSdp.ReadDestinations(session!, 3);

        Assert.Equal([41000, null, null], secure.Select(d => d?.Port));
        Assert.Equal([41000, 41002, 41004], plain.Select(d => d?.Port));
    }

    [Fact]
    public void ReadCrypto_GivesTheRecordersKeyPerLine_AndNullForPlainDeclinedBrokenOrMissingLines()
    {
        var recorderKey = SdesCrypto.CreateRandom(1, SrtpCryptoSuite.AesCm128HmacSha1_32);
        var key = recorderKey.FormatAttributeValue();
        string answer = "v=0\r\no=srs 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
            "m=audio 41000 RTP/SAVP 0\r\na=recvonly\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ=\r\n" + $"a=crypto:{key}\r\n" +
            $"m=audio 41002 RTP/AVP 0\r\na=recvonly\r\na=crypto:{key}\r\n" +
            $"m=audio 0 RTP/SAVP 0\r\na=crypto:{key}\r\n";
        Assert.True(SdpSession.TryParse(answer, out var session, out var error), error);

        var keys = RecordingSdp.ReadCrypto(session!, 4);

        Assert.Equal(recorderKey.MasterKey.KeyAndSalt.ToArray(), keys[0]!.MasterKey.KeyAndSalt.ToArray());
        Assert.Equal(SrtpCryptoSuite.AesCm128HmacSha1_32, keys[0]!.Suite);
        Assert.Equal([null, null, null], keys.Skip(1));
    }
}
