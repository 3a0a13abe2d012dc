using Moq;
using Siprec.Control;
using Siprec.FlowNode.Sdk;

namespace Siprec.FlowNode.Tests;

/// <summary>A Moq ICallControl that records every INFO and answers with a configurable status.</summary>
internal sealed class TestCall
{
    public TestCall(int status = 200, string reason = "OK", string? warning = null)
    {
        Status = status;
        Reason = reason;
        Warning = warning;
        Mock.Setup(c => c.CallSid).Returns("CA-test");
        Mock.Setup(c => c.SendInfoAsync(It.IsAny<InfoRequestContent>(), It.IsAny<CancellationToken>()))
            .Callback<InfoRequestContent, CancellationToken>((info, _) => { Infos.Add(info); Events.Add("info:" + info.GetHeader("X-Reason")); })
            .ReturnsAsync(() => new InfoAnswer(Status, Reason, Warning));
        Mock.Setup(c => c.PlayAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback<string, CancellationToken>((prompt, _) => Events.Add("play:" + prompt))
            .Returns(Task.CompletedTask);
        Mock.Setup(c => c.HangUpAsync(It.IsAny<CancellationToken>()))
            .Callback(() => Events.Add("hangUp"))
            .Returns(Task.CompletedTask);
    }

    public Mock<ICallControl> Mock { get; } = new(MockBehavior.Strict);

    public ICallControl Object => Mock.Object;

    public List<InfoRequestContent> Infos { get; } = [];

    public List<string> Events { get; } = [];

    public int Status { get; set; }

    public string Reason { get; set; }

    public string? Warning { get; set; }
}
