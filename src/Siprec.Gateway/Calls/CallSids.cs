using System.Security.Cryptography;

namespace Siprec.Gateway.Calls;

/// <summary>Call SIDs in the Twilio shape the REST API and callbacks use: "CA" followed by 32 lower-case hex digits.</summary>
internal static class CallSids
{
    /// <summary>The SID prefix.</summary>
    public const string Prefix = "CA";

    /// <summary>A new random SID (128 bits from the OS generator).</summary>
    public static string New() => Prefix + RandomNumberGenerator.GetHexString(32, lowercase: true);
}
