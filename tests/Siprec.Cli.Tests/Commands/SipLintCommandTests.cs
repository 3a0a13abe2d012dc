using Siprec.Cli.Commands;
using Siprec.Testing;

namespace Siprec.Cli.Tests.Commands;

public sealed class SipLintCommandTests
{
    private static (int Exit, string[] Lines) Lint(params string[] names)
    {
        var paths = names.Select(n => Conformance.File("rfc4475", n)).ToArray();
        using var output = new StringWriter();
        var exit = SipLintCommand.Run(paths, output);
        return (exit, output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [SkippableFact]
    public void Run_PrintsValidAndExitsZero_WhenEveryFileIsValid()
    {
        var (exit, lines) = Lint("wsinv.dat", "mpart01.dat", "noreason.dat");
        Assert.Equal(0, exit);
        Assert.Equal(3, lines.Length);
        Assert.EndsWith("wsinv.dat: valid", lines[0]);
        Assert.EndsWith("mpart01.dat: valid", lines[1]);
        Assert.EndsWith("noreason.dat: valid", lines[2]);
    }

    [SkippableFact]
    public void Run_PrintsReasonAndResponseCode_ForEachInvalidFileAndExitsOne()
    {
        var (exit, lines) = Lint("wsinv.dat", "badvers.dat", "unkscm.dat", "bext01.dat", "invut.dat");
        Assert.Equal(1, exit);
        Assert.EndsWith("wsinv.dat: valid", lines[0]);
        Assert.Matches(@"badvers\.dat: invalid: .*SIP/7\.0.* \(505\)$", lines[1]);
        Assert.Matches(@"unkscm\.dat: invalid: .*scheme.* \(416\)$", lines[2]);
        Assert.Matches(@"bext01\.dat: invalid: .*nothingSupportsThis.* \(420\)$", lines[3]);
        Assert.Matches(@"invut\.dat: invalid: .*application/unknownformat.* \(415\)$", lines[4]);
    }

    [SkippableFact]
    public void Run_SaysDrop_ForAMalformedResponse()
    {
        var (exit, lines) = Lint("bigcode.dat");
        Assert.Equal(1, exit);
        Assert.Matches(@"bigcode\.dat: invalid: .+ \(drop\)$", Assert.Single(lines));
    }

    [Fact]
    public void Run_ReportsAnUnreadableFileAsInvalid()
    {
        using var output = new StringWriter();
        var missing = Path.Combine(Path.GetTempPath(), "siprec-lint-" + Guid.NewGuid().ToString("N") + ".sip");
        Assert.Equal(1, SipLintCommand.Run([missing], output));
        Assert.StartsWith(missing + ": invalid: cannot read the file", output.ToString());
    }
}
