using Moq;
using Siprec.Control;
using Siprec.FlowNode.Sdk;
using Siprec.FlowNode.Testing;

namespace Siprec.FlowNode.Tests;

/// <summary>
/// A strict Moq ICallControl (for Verify) whose calls go to the packaged <see cref="CapturingCallControl"/>, which keeps
/// every INFO and event and answers with a configurable status.
/// </summary>
internal sealed class TestCall
{
    private readonly CapturingCallControl _capture;

    public TestCall(int status = 200, string reason = "OK", string? warning = null)
    {
        Status = status;
        Reason = reason;
        Warning = warning;
        _capture = new CapturingCallControl { CallSid = "CA-test", Answer = _ => new InfoAnswer(Status, Reason, Warning) };
        Mock.Setup(c => c.CallSid).Returns(_capture.CallSid);
        Mock.Setup(c => c.SendInfoAsync(It.IsAny<InfoRequestContent>(), It.IsAny<CancellationToken>()))
            .Returns<InfoRequestContent, CancellationToken>(_capture.SendInfoAsync);
        Mock.Setup(c => c.PlayAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns<string, CancellationToken>(_capture.PlayAsync);
        Mock.Setup(c => c.HangUpAsync(It.IsAny<CancellationToken>()))
            .Returns<CancellationToken>(_capture.HangUpAsync);
    }

    public Mock<ICallControl> Mock { get; } = new(MockBehavior.Strict);

    public ICallControl Object => Mock.Object;

    public IReadOnlyList<InfoRequestContent> Infos => _capture.Infos;

    public IReadOnlyList<string> Events => _capture.Events;

    public int Status { get; set; }

    public string Reason { get; set; }

    public string? Warning { get; set; }
}
