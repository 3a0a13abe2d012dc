using System.Text;
using Siprec.Sip.Bodies;
using Siprec.Sip.Messages;
using Siprec.Sip.Sdp;
using Siprec.Testing;

namespace Siprec.Sip.Tests.Conformance;

/// <summary>Seeded mutations of the RFC 4475 and vendor corpus never throw out of the wire parsers (the 100k run is benchmarks/Siprec.Fuzz).</summary>
public sealed class MutationRobustnessTests
{
    [SkippableTheory]
    [InlineData(1)]
    [InlineData(20260820)]
    public void MutatedCorpus_NeverThrowsOutOfTheParsers(int seed)
    {
        Siprec.Testing.Conformance.SkipIfMissing();
        var mutator = new CorpusMutator(SipCorpus.Load(), seed);
        int accepted = 0, rejected = 0;
        for (var n = 0; n < 1500; n++)
        {
            var (data, kinds) = mutator.Next();
            var thrown = Record.Exception(() =>
            {
                if (SipParser.TryParse(data, out var message, out var error))
                {
                    accepted++;
                    Assert.True(SipParser.TryParse(SipSerializer.Serialize(message!), out _, out var again), $"re-parse: {again.Detail}");
                    if (message is SipRequest request) SipRequestValidator.TryValidate(request, SipValidationPolicy.Default, out _);
                }
                else
                {
                    rejected++;
                    Assert.False(string.IsNullOrEmpty(error.Detail));
                }
                var boundary = Encoding.Latin1.GetString(data).Split('\n').FirstOrDefault(l => l.StartsWith("--", StringComparison.Ordinal) && l.TrimEnd().Length > 2);
                if (boundary is not null && MultipartBody.TryParse(data, boundary.TrimEnd()[2..], out var parts, out _))
                {
                    foreach (var part in parts) SdpSession.TryParse(part.Body.Span, out _, out _);
                }
                SdpSession.TryParse(data, out _, out _);
            });
            Assert.True(thrown is null, $"case {n} ({kinds}) threw {thrown}\ninput: {Convert.ToBase64String(data)}");
        }
        Assert.True(accepted > 0 && rejected > 0, $"accepted {accepted}, rejected {rejected}: the mutations should produce both");
    }
}
