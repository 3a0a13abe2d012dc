using System.Security.Cryptography;

namespace Siprec.Gateway.RecordingControl;

/// <summary>SIPREC session SIDs in the Twilio shape (DESIGN §4.4): "SR" followed by 32 lower-case hex digits.</summary>
internal static class RecordingSids
{
    /// <summary>The SID prefix.</summary>
    public const string Prefix = "SR";

    /// <summary>A new random SID (128 bits from the OS generator).</summary>
    public static string New() => Prefix + RandomNumberGenerator.GetHexString(32, lowercase: true);
}
