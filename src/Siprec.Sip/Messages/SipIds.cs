using System.Security.Cryptography;

namespace Siprec.Sip.Messages;

/// <summary>Random identifiers: branch (RFC 3261 §8.1.1.7), tag (§19.3) and Call-ID (§8.1.1.4).</summary>
public static class SipIds
{
    /// <summary>The RFC 3261 magic cookie every compliant branch starts with.</summary>
    public const string MagicCookie = "z9hG4bK";

    /// <summary>A new branch: the magic cookie followed by 64 random bits in hex, unique per transaction.</summary>
    public static string NewBranch() => MagicCookie + RandomHex(8);

    /// <summary>A new From/To tag with 64 random bits (the RFC asks for at least 32).</summary>
    public static string NewTag() => RandomHex(8);

    /// <summary>A new Call-ID: 128 random bits in hex, then <c>@</c> and <paramref name="host"/>.</summary>
    public static string NewCallId(string host) => RandomHex(16) + "@" + host;

    private static string RandomHex(int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        RandomNumberGenerator.Fill(buffer);
        return Convert.ToHexStringLower(buffer);
    }
}
