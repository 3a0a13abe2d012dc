using Siprec.Sip.Messages;
using Siprec.Testing;

namespace Siprec.Sip.Tests.Conformance;

/// <summary>Reads an RFC 4475 file in place and asserts a verdict from its README.</summary>
internal static class Rfc4475Corpus
{
    public static byte[] Read(string file) => File.ReadAllBytes(Siprec.Testing.Conformance.File("rfc4475", file));

    public static SipCheckResult Check(string file) => SipMessageCheck.Check(Read(file), SipValidationPolicy.Default);

    public static T Valid<T>(string file) where T : SipMessage
    {
        var result = Check(file);
        Assert.True(result.IsValid, $"{file}: {result.Problem} ({result.StatusCode})");
        return Assert.IsType<T>(result.Message);
    }

    public static SipCheckResult Rejected(string file, int status)
    {
        var result = Check(file);
        Assert.False(result.IsValid, $"{file} was accepted");
        Assert.Equal(status, result.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(result.Problem));
        return result;
    }

    public static SipCheckResult Dropped(string file)
    {
        var result = Check(file);
        Assert.True(result.IsDropped, $"{file}: expected a drop, got {(result.IsValid ? "valid" : result.StatusCode?.ToString())}");
        Assert.False(string.IsNullOrWhiteSpace(result.Problem));
        return result;
    }
}
