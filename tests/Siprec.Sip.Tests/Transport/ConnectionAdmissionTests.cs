using System.Net;
using Microsoft.Extensions.Logging;
using Siprec.Sip.Transport;
using Siprec.Testing;

namespace Siprec.Sip.Tests.Transport;

/// <summary>
/// The refusal count in the rate-limited Warning line: refusals are decided and logged on concurrent accept tasks, so the
/// count must not depend on whether a later refusal was decided before an earlier one was logged.
/// </summary>
public sealed class ConnectionAdmissionTests
{
    private static readonly IPAddress Flooder = IPAddress.Parse("127.0.0.2");
    private static readonly IPEndPoint Remote = new(Flooder, 40000);
    private readonly ManualTimeProvider _time = new();
    private readonly ListLoggerFactory _logs = new();

    [Fact]
    public void TwoRefusalsDecidedBeforeEitherIsLogged_TheFirstLineCountsOne_AndTheNextLineCountsTheSuppressedOne()
    {
        var admission = new ConnectionAdmission(new StreamTransportOptions { MaxInboundConnections = 1, MaxInboundConnectionsPerAddress = 1 }, _time);
        var logger = _logs.CreateLogger("admission");
        Assert.Null(admission.TryAdmit(Flooder));

        // Both accept tasks decide before either writes its line: the interleaving that made the first line say "2".
        var first = admission.TryAdmit(Flooder)!;
        var second = admission.TryAdmit(Flooder)!;
        admission.LogRefusal(logger, "TCP", Remote, first);
        admission.LogRefusal(logger, "TCP", Remote, second);
        Assert.Equal(2, admission.Refused);
        var line = Assert.Single(_logs.Lines, l => l.EventId == 1020);
        Assert.Contains("(MaxInboundConnections 1); 1 refused since the previous such line", line.Message, StringComparison.Ordinal);

        _time.Advance(ConnectionAdmission.RefusalLogInterval);
        admission.LogRefusal(logger, "TCP", Remote, admission.TryAdmit(Flooder)!);
        var lines = _logs.Lines.Where(l => l.EventId == 1020).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains("; 2 refused since the previous such line, this one included", lines[1].Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Warning, lines[1].Level);
    }
}
