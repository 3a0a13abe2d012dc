using System.Text;
using Siprec.Media.Rtpengine;

namespace Siprec.Media.Tests.Rtpengine;

public sealed class BencodeTests
{
    [Fact]
    public void Encode_SortsDictionaryKeys_AndWritesEveryType()
    {
        var bytes = Bencode.Encode(new Dictionary<string, object>
        {
            ["sdp"] = "v=0",
            ["command"] = "offer",
            ["flags"] = new[] { "trust-address", "SDES-off" },
            ["ttl"] = 42,
        });

        Assert.Equal("d7:command5:offer5:flagsl13:trust-address8:SDES-offe3:sdp3:v=03:ttli42ee", Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void TryParse_ReadsWhatEncodeWrote_IncludingNestingAndNegativeIntegersAndUtf8()
    {
        var value = new Dictionary<string, object>
        {
            ["result"] = "ok",
            ["tags"] = new Dictionary<string, object> { ["a"] = new List<object> { -7L, "é", new Dictionary<string, object>() } },
        };

        Assert.True(Bencode.TryParse(Bencode.Encode(value), out var parsed, out var error), error);

        var dictionary = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object>>(parsed);
        Assert.Equal("ok", dictionary["result"]);
        var list = Assert.IsAssignableFrom<IReadOnlyList<object>>(((IReadOnlyDictionary<string, object>)dictionary["tags"])["a"]);
        Assert.Equal(-7L, list[0]);
        Assert.Equal("é", list[1]);
        Assert.Empty(Assert.IsAssignableFrom<IReadOnlyDictionary<string, object>>(list[2]));
    }

    [Theory]
    [InlineData("", "truncated")]
    [InlineData("d6:result2:ok", "missing 'e'")]
    [InlineData("5:abc", "bad or truncated string")]
    [InlineData("i12", "bad integer")]
    [InlineData("ie", "bad integer")]
    [InlineData("ixe", "bad integer")]
    [InlineData("d1:ai1e1:ai2ee", "duplicate key")]
    [InlineData("l x", "unexpected byte")]
    [InlineData("i1ei2e", "trailing bytes")]
    [InlineData("99999999999:x", "bad or truncated string")]
    public void TryParse_RejectsMalformedInput_WithAReason_NeverThrowing(string input, string reason)
    {
        Assert.False(Bencode.TryParse(Encoding.ASCII.GetBytes(input), out var value, out var error));
        Assert.Null(value);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_RejectsNestingDeeperThanTheBound()
    {
        var deep = new string('l', Bencode.MaxDepth + 2) + new string('e', Bencode.MaxDepth + 2);

        Assert.False(Bencode.TryParse(Encoding.ASCII.GetBytes(deep), out _, out var error));
        Assert.Contains("nested deeper", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_EveryPrefixOfAValidMessage_IsRejected()
    {
        var bytes = Bencode.Encode(new Dictionary<string, object> { ["command"] = "ping", ["list"] = new[] { "a", "bc" }, ["n"] = 12 });
        for (var length = 0; length < bytes.Length; length++)
            Assert.False(Bencode.TryParse(bytes.AsSpan(0, length), out _, out _), $"prefix of {length} bytes parsed");
    }

    [Fact]
    public void Encode_RefusesATypeBencodeCannotCarry()
    {
        Assert.Throws<ArgumentException>(() => Bencode.Encode(new Dictionary<string, object> { ["x"] = 1.5 }));
    }
}
