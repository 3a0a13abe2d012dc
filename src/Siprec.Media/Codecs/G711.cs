namespace Siprec.Media.Codecs;

/// <summary>
/// ITU-T G.711 companding (PCMU µ-law and PCMA A-law, RFC 3551 §4.5.14) between 16-bit linear PCM
/// and 8-bit codes, computed arithmetically (no tables) so every value is the standard one.
/// </summary>
/// <remarks>µ-law works on the 14 most significant bits, A-law on the 13 most significant bits of a sample.</remarks>
public static class G711
{
    /// <summary>RTP static payload type of PCMU (RFC 3551 table 4).</summary>
    public const byte PcmuPayloadType = 0;

    /// <summary>RTP static payload type of PCMA (RFC 3551 table 4).</summary>
    public const byte PcmaPayloadType = 8;

    /// <summary>Encoded µ-law silence (linear 0).</summary>
    public const byte MuLawSilence = 0xFF;

    /// <summary>Encoded A-law silence (linear 0).</summary>
    public const byte ALawSilence = 0xD5;

    private const int MuLawBias = 0x84;
    private const int MuLawClip = 32635;

    /// <summary>Encodes one 16-bit linear sample as a µ-law code (G.711 table 2a).</summary>
    public static byte LinearToMuLaw(short s)
    {
        int value = s;
        int sign = 0;
        if (value < 0)
        {
            sign = 0x80;
            value = -value;
        }
        if (value > MuLawClip) value = MuLawClip;
        value += MuLawBias;
        // value is in 132..32767, so its highest set bit is 7..14; the segment is that minus 7.
        int exponent = 31 - int.LeadingZeroCount(value) - 7;
        int mantissa = (value >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    /// <summary>Decodes one µ-law code to 16-bit linear PCM (range -32124..32124).</summary>
    public static short MuLawToLinear(byte b)
    {
        int u = ~b & 0xFF;
        int exponent = (u >> 4) & 0x07;
        int magnitude = (((u & 0x0F) << 3) + MuLawBias) << exponent;
        return (short)((u & 0x80) != 0 ? MuLawBias - magnitude : magnitude - MuLawBias);
    }

    /// <summary>Encodes one 16-bit linear sample as an A-law code (G.711 table 1a, even bits inverted).</summary>
    public static byte LinearToALaw(short s)
    {
        int value = s >> 3;
        int mask;
        if (value >= 0)
        {
            mask = 0xD5;
        }
        else
        {
            mask = 0x55;
            value = -value - 1;
        }
        // value is in 0..4095; segment 0 covers 0..31, segment n>0 covers 2^(n+4)..2^(n+5)-1.
        int segment = value < 32 ? 0 : 31 - int.LeadingZeroCount(value) - 4;
        int code = segment << 4;
        code |= segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F;
        return (byte)(code ^ mask);
    }

    /// <summary>Decodes one A-law code to 16-bit linear PCM (range -32256..32256, never 0).</summary>
    public static short ALawToLinear(byte b)
    {
        int a = b ^ 0x55;
        int magnitude = (a & 0x0F) << 4;
        int segment = (a & 0x70) >> 4;
        magnitude = segment switch
        {
            0 => magnitude + 8,
            1 => magnitude + 0x108,
            _ => (magnitude + 0x108) << (segment - 1),
        };
        return (short)((a & 0x80) != 0 ? magnitude : -magnitude);
    }

    /// <summary>Encodes <paramref name="pcm"/> into µ-law codes, one byte per sample.</summary>
    /// <exception cref="ArgumentException"><paramref name="dst"/> is shorter than <paramref name="pcm"/>.</exception>
    public static void EncodeMuLaw(ReadOnlySpan<short> pcm, Span<byte> dst)
    {
        EnsureLength(pcm.Length, dst.Length, nameof(dst));
        for (int i = 0; i < pcm.Length; i++) dst[i] = LinearToMuLaw(pcm[i]);
    }

    /// <summary>Decodes µ-law codes into <paramref name="pcm"/>, one sample per byte.</summary>
    /// <exception cref="ArgumentException"><paramref name="pcm"/> is shorter than <paramref name="src"/>.</exception>
    public static void DecodeMuLaw(ReadOnlySpan<byte> src, Span<short> pcm)
    {
        EnsureLength(src.Length, pcm.Length, nameof(pcm));
        for (int i = 0; i < src.Length; i++) pcm[i] = MuLawToLinear(src[i]);
    }

    /// <summary>Encodes <paramref name="pcm"/> into A-law codes, one byte per sample.</summary>
    /// <exception cref="ArgumentException"><paramref name="dst"/> is shorter than <paramref name="pcm"/>.</exception>
    public static void EncodeALaw(ReadOnlySpan<short> pcm, Span<byte> dst)
    {
        EnsureLength(pcm.Length, dst.Length, nameof(dst));
        for (int i = 0; i < pcm.Length; i++) dst[i] = LinearToALaw(pcm[i]);
    }

    /// <summary>Decodes A-law codes into <paramref name="pcm"/>, one sample per byte.</summary>
    /// <exception cref="ArgumentException"><paramref name="pcm"/> is shorter than <paramref name="src"/>.</exception>
    public static void DecodeALaw(ReadOnlySpan<byte> src, Span<short> pcm)
    {
        EnsureLength(src.Length, pcm.Length, nameof(pcm));
        for (int i = 0; i < src.Length; i++) pcm[i] = ALawToLinear(src[i]);
    }

    /// <summary>
    /// Decodes a G.711 payload of the given static payload type (0 PCMU, 8 PCMA) into <paramref name="pcm"/>.
    /// Returns false, writing nothing, for any other payload type.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="pcm"/> is shorter than <paramref name="src"/>.</exception>
    public static bool TryDecode(byte payloadType, ReadOnlySpan<byte> src, Span<short> pcm)
    {
        switch (payloadType)
        {
            case PcmuPayloadType: DecodeMuLaw(src, pcm); return true;
            case PcmaPayloadType: DecodeALaw(src, pcm); return true;
            default: return false;
        }
    }

    private static void EnsureLength(int needed, int available, string name)
    {
        if (available < needed)
            throw new ArgumentException($"destination holds {available} items but {needed} are needed", name);
    }
}
