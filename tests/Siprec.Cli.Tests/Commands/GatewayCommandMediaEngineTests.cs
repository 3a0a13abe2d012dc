using Siprec.Cli.Commands;
using Siprec.Gateway.Configuration;

namespace Siprec.Cli.Tests.Commands;

/// <summary><c>siprec gateway --media-engine embedded|rtpengine --rtpengine udp:HOST:PORT[=WEIGHT]…</c>.</summary>
public sealed class GatewayCommandMediaEngineTests
{
    [Fact]
    public void TheEmbeddedEngine_IsTheDefault()
    {
        var (options, error) = GatewayCommand.ParseOptions();

        Assert.Null(error);
        Assert.Equal(GatewayMediaEngine.Embedded, options!.MediaEngine);
        Assert.Empty(options.Rtpengines);
    }

    [Fact]
    public void Rtpengine_TakesEveryGivenInstanceWithItsWeight()
    {
        var (options, error) = GatewayCommand.ParseOptions("--media-engine", "rtpengine", "--rtpengine", "udp:127.0.0.1:2223=3", "--rtpengine", "udp:127.0.0.1:2233");

        Assert.Null(error);
        Assert.Equal(GatewayMediaEngine.Rtpengine, options!.MediaEngine);
        Assert.Equal([2223, 2233], options.Rtpengines.Select(i => i.EndPoint.Port));
        Assert.Equal([3, 1], options.Rtpengines.Select(i => i.Weight));
    }

    [Theory]
    [InlineData(new[] { "--media-engine", "rtpengine" }, "needs at least one --rtpengine")]
    [InlineData(new[] { "--media-engine", "kernel" }, "expected embedded or rtpengine")]
    [InlineData(new[] { "--media-engine", "rtpengine", "--rtpengine", "127.0.0.1:2223" }, "--rtpengine")]
    public void BadMediaEngineArguments_AreRefusedWithAMessageNamingThem(string[] args, string message)
    {
        var (options, error) = GatewayCommand.ParseOptions(args);

        Assert.Null(options);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
