using System.Globalization;

namespace Siprec.Media.Srtp;

/// <summary>
/// One SDP Security Descriptions attribute value (RFC 4568 §4, §9.1):
/// <c>&lt;tag&gt; &lt;crypto-suite&gt; inline:&lt;base64 key||salt&gt;</c>, the part after <c>a=crypto:</c>.
/// Knows no SDP beyond this value. The key never appears in <see cref="ToString"/>; only
/// <see cref="FormatAttributeValue"/> writes it, for the SDP body that goes over TLS.
/// </summary>
public sealed class SdesCrypto
{
    /// <summary>The SDP attribute name (<c>a=crypto</c>).</summary>
    public const string AttributeName = "crypto";

    /// <summary>The SDP media protocol that carries SDES-keyed SRTP (RFC 3711 §12, RFC 4568 §3.1.4).</summary>
    public const string SavpProtocol = "RTP/SAVP";

    private const string InlinePrefix = "inline:";

    /// <summary>Pairs a tag, a suite and a key.</summary>
    /// <param name="tag">Decimal tag, 0..999999999 (RFC 4568 §4.1); an answer echoes the chosen offer's tag.</param>
    /// <param name="suite">The crypto suite.</param>
    /// <param name="masterKey">The sender's master key and salt.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tag"/> is negative or above 999999999.</exception>
    public SdesCrypto(int tag, SrtpCryptoSuite suite, SrtpMasterKey masterKey)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tag);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tag, 999_999_999);
        ArgumentNullException.ThrowIfNull(masterKey);
        Tag = tag;
        Suite = suite;
        MasterKey = masterKey;
    }

    /// <summary>The attribute tag that pairs an answer with the offer line it accepts.</summary>
    public int Tag { get; }

    /// <summary>The crypto suite.</summary>
    public SrtpCryptoSuite Suite { get; }

    /// <summary>The master key and salt of the side that sends with it.</summary>
    public SrtpMasterKey MasterKey { get; }

    /// <summary>A fresh random key for <paramref name="tag"/> and <paramref name="suite"/> (one per recorder and stream).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tag"/> is out of range.</exception>
    public static SdesCrypto CreateRandom(int tag = 1, SrtpCryptoSuite suite = SrtpCryptoSuite.AesCm128HmacSha1_80) =>
        new(tag, suite, SrtpMasterKey.CreateRandom());

    /// <summary>The RFC 4568 name of <paramref name="suite"/>, e.g. <c>AES_CM_128_HMAC_SHA1_80</c>.</summary>
    public static string SuiteName(SrtpCryptoSuite suite) => suite switch
    {
        SrtpCryptoSuite.AesCm128HmacSha1_32 => "AES_CM_128_HMAC_SHA1_32",
        _ => "AES_CM_128_HMAC_SHA1_80",
    };

    /// <summary>
    /// Reads one <c>a=crypto</c> value. Returns false (never throws) with an error naming the field and,
    /// except for key material, its value when: the tag is not a 1-9 digit number; the suite is not one of
    /// <see cref="SrtpCryptoSuite"/>; the key method is not <c>inline:</c>; the key is not base64 of
    /// exactly 30 bytes; an MKI is present (MKIs are not supported); or a session parameter asks for
    /// unencrypted or unauthenticated SRTP or a key derivation rate other than 0.
    /// </summary>
    /// <param name="value">The attribute value after <c>crypto:</c>.</param>
    /// <param name="crypto">The parsed attribute.</param>
    /// <param name="error">Why it was refused.</param>
    public static bool TryParse(string? value, out SdesCrypto? crypto, out string? error)
    {
        crypto = null;
        string[] fields = (value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 3)
        {
            error = $"a=crypto needs '<tag> <suite> inline:<key>', got {fields.Length} field(s)";
            return false;
        }
        if (fields[0].Length is < 1 or > 9 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int tag))
        {
            error = $"a=crypto tag '{fields[0]}' is not a 1-9 digit number";
            return false;
        }
        SrtpCryptoSuite suite;
        switch (fields[1])
        {
            case "AES_CM_128_HMAC_SHA1_80": suite = SrtpCryptoSuite.AesCm128HmacSha1_80; break;
            case "AES_CM_128_HMAC_SHA1_32": suite = SrtpCryptoSuite.AesCm128HmacSha1_32; break;
            default:
                error = $"a=crypto suite '{fields[1]}' is not supported (AES_CM_128_HMAC_SHA1_80 or _32)";
                return false;
        }
        // Several key-params may be listed (';'); the first one keys the stream when there is no MKI.
        string keyParam = fields[2].Split(';')[0];
        if (!keyParam.StartsWith(InlinePrefix, StringComparison.Ordinal))
        {
            error = "a=crypto key method is not 'inline:'";
            return false;
        }
        string[] keyParts = keyParam[InlinePrefix.Length..].Split('|');
        if (keyParts.Length > 2 || (keyParts.Length == 2 && keyParts[1].Contains(':')))
        {
            error = "a=crypto key carries an MKI, which is not supported";
            return false;
        }
        Span<byte> material = stackalloc byte[SrtpMasterKey.Length + 3];
        if (!Convert.TryFromBase64String(keyParts[0], material, out int length) || length != SrtpMasterKey.Length)
        {
            error = $"a=crypto inline key is not base64 of {SrtpMasterKey.Length} bytes (key and salt)";
            return false;
        }
        foreach (string parameter in fields.AsSpan(3))
        {
            if (parameter is "UNENCRYPTED_SRTP" or "UNAUTHENTICATED_SRTP" ||
                (parameter.StartsWith("KDR=", StringComparison.Ordinal) && parameter != "KDR=0"))
            {
                error = $"a=crypto session parameter '{parameter}' is not supported";
                return false;
            }
        }
        crypto = new SdesCrypto(tag, suite, new SrtpMasterKey(material[..length]));
        material.Clear();
        error = null;
        return true;
    }

    /// <summary>The value for <c>a=crypto:</c>, key included: put it only in SDP sent over TLS, never in a log.</summary>
    public string FormatAttributeValue() =>
        string.Create(CultureInfo.InvariantCulture, $"{Tag} {SuiteName(Suite)} {InlinePrefix}{Convert.ToBase64String(MasterKey.KeyAndSalt)}");

    /// <summary>Tag and suite only; the key is redacted.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Tag} {SuiteName(Suite)} inline:(redacted)");
}
