using Siprec.Cli.Commands;

namespace Siprec.Cli.Tests.Commands;

/// <summary><c>--rtp-ports LO-HI</c> on <c>siprec gateway</c> and <c>siprec srs</c> (issue 14), and its errors (exit 2).</summary>
public sealed class RtpPortsOptionTests
{
    [Fact]
    public void Srs_ReadsTheRange_AndHasNoneByDefault()
    {
        var (options, error) = SrsCommand.ParseOptions("--rtp-ports", "30000-30099");
        Assert.Null(error);
        Assert.Equal("30000-30099", options!.RtpPorts!.ToString());
        Assert.Null(SrsCommand.ParseOptions().Options!.RtpPorts);
    }

    [Fact]
    public void Gateway_ReadsTheRange_AndItOverridesTheConfigurationFile()
    {
        var config = Path.Combine(Path.GetTempPath(), $"gw-{Guid.NewGuid():N}.json");
        File.WriteAllText(config, """{ "sip": "udp:127.0.0.1:0", "media": { "portRange": "20000-29999" } }""");
        try
        {
            Assert.Equal("20000-29999", GatewayCommand.ParseOptions("--config", config).Options!.RtpPorts!.ToString());
            var (options, error) = GatewayCommand.ParseOptions("--config", config, "--rtp-ports", "40000-40999");
            Assert.Null(error);
            Assert.Equal("40000-40999", options!.RtpPorts!.ToString());
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Theory]
    [InlineData("gateway", "abc", "--rtp-ports 'abc' is not LO-HI")]
    [InlineData("srs", "20001-20002", "--rtp-ports '20001-20002' holds no even RTP port")]
    [InlineData("srs", "9-70000", "--rtp-ports '9-70000': ports must be 1 to 65535")]
    public void ABadRange_IsRefused_NamingTheOption(string command, string value, string expected)
    {
        var error = command == "srs" ? SrsCommand.ParseOptions("--rtp-ports", value).Error : GatewayCommand.ParseOptions("--rtp-ports", value).Error;
        Assert.NotNull(error);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }
}
