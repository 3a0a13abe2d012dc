using Siprec.Recording.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Transactions;

namespace Siprec.Recording.Tests.Dialogs;

public sealed class InDialogFailureTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(4);

    private static TransactionOutcome Answer(int code, string? retryAfter = null)
    {
        var response = new SipResponse(code, "Reason");
        if (retryAfter is not null)
            response = response.AddHeader("Retry-After", retryAfter);
        return new TransactionOutcome(TransactionOutcomeKind.Response, response, null);
    }

    [Fact]
    public void Classify_TransactionTimeout_EndsTheUsageWithBye()
    {
        var failure = InDialogFailure.Classify(new TransactionOutcome(TransactionOutcomeKind.Timeout, null, "Timer B"), false, Limit);

        Assert.Equal(InDialogFailureEffect.UsageTerminated, failure.Effect);
        Assert.Contains("RFC 5057 §5.2", failure.Rule);
        Assert.Contains("BYE", failure.Rule);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(416)]
    [InlineData(482)]
    [InlineData(483)]
    [InlineData(484)]
    [InlineData(485)]
    [InlineData(502)]
    [InlineData(604)]
    [InlineData(403)]
    [InlineData(405)]
    public void Classify_AnswersThatEndTheUsageOrDialog_EndTheRecorderWithBye(int code)
    {
        var failure = InDialogFailure.Classify(Answer(code), false, Limit);

        Assert.Equal(InDialogFailureEffect.UsageTerminated, failure.Effect);
        Assert.Contains(code.ToString(), failure.Rule);
        Assert.Contains("RFC 5057 §5.1", failure.Rule);
    }

    [Fact]
    public void Classify_481_EndsTheRecorderWithoutBye()
    {
        var failure = InDialogFailure.Classify(Answer(481), false, Limit);

        Assert.Equal(InDialogFailureEffect.DialogGone, failure.Effect);
        Assert.Contains("without BYE", failure.Rule);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(406)]
    [InlineData(415)]
    [InlineData(420)]
    [InlineData(422)]
    [InlineData(480)]
    [InlineData(486)]
    [InlineData(487)]
    [InlineData(488)]
    [InlineData(493)]
    [InlineData(499)]
    [InlineData(500)]
    [InlineData(501)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(580)]
    [InlineData(600)]
    [InlineData(603)]
    [InlineData(606)]
    [InlineData(302)]
    public void Classify_AnswersAboutTheRequestOnly_LeaveTheDialog(int code)
    {
        var failure = InDialogFailure.Classify(Answer(code), false, Limit);

        Assert.Equal(InDialogFailureEffect.TransactionOnly, failure.Effect);
        Assert.Equal(TimeSpan.Zero, failure.RetryDelay);
    }

    [Fact]
    public void Classify_TransportError_IsA503WithoutRetryAfter_TransactionOnly()
    {
        var failure = InDialogFailure.Classify(new TransactionOutcome(TransactionOutcomeKind.TransportError, null, "refused"), false, Limit);

        Assert.Equal(InDialogFailureEffect.TransactionOnly, failure.Effect);
        Assert.Contains("RFC 3261 §8.1.3.1", failure.Rule);
    }

    [Fact]
    public void Classify_491_RetriesOnceAfterTheUacBackOffOf2100To4000Ms()
    {
        var random = new Random(5057);
        for (var i = 0; i < 200; i++)
        {
            var failure = InDialogFailure.Classify(Answer(491), false, Limit, random);
            Assert.Equal(InDialogFailureEffect.Retry, failure.Effect);
            Assert.InRange(failure.RetryDelay, TimeSpan.FromMilliseconds(2100), TimeSpan.FromMilliseconds(4000));
        }

        Assert.Equal(InDialogFailureEffect.TransactionOnly, InDialogFailure.Classify(Answer(491), true, Limit).Effect);
    }

    [Theory]
    [InlineData(500, "3")]
    [InlineData(503, "4")]
    [InlineData(504, "0")]
    [InlineData(599, "2 (maintenance)")]
    [InlineData(600, "1;duration=60")]
    public void Classify_RetryAfterWithinTheBound_RetriesOnceAfterIt(int code, string retryAfter)
    {
        var failure = InDialogFailure.Classify(Answer(code, retryAfter), false, Limit);

        Assert.Equal(InDialogFailureEffect.Retry, failure.Effect);
        Assert.Equal(TimeSpan.FromSeconds(int.Parse(retryAfter.Split(' ', ';')[0])), failure.RetryDelay);
        Assert.Equal(InDialogFailureEffect.TransactionOnly, InDialogFailure.Classify(Answer(code, retryAfter), true, Limit).Effect);
    }

    [Theory]
    [InlineData(503, "5")]
    [InlineData(500, "120")]
    public void Classify_RetryAfterBeyondTheBound_IsReported_AndTheDialogStays(int code, string retryAfter)
    {
        var failure = InDialogFailure.Classify(Answer(code, retryAfter), false, Limit);

        Assert.Equal(InDialogFailureEffect.TransactionOnly, failure.Effect);
        Assert.Contains($"Retry-After {retryAfter} s", failure.Rule);
    }

    [Theory]
    [InlineData(501)]
    [InlineData(505)]
    [InlineData(603)]
    [InlineData(606)]
    public void Classify_RetryAfterOnAnAnswerThatObjectsToTheRequest_IsNotRetried(int code)
    {
        Assert.Equal(InDialogFailureEffect.TransactionOnly, InDialogFailure.Classify(Answer(code, "1"), false, Limit).Effect);
    }

    [Fact]
    public void Classify_502WithRetryAfter_StillEndsTheDialog()
    {
        Assert.Equal(InDialogFailureEffect.UsageTerminated, InDialogFailure.Classify(Answer(502, "1"), false, Limit).Effect);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("")]
    [InlineData("99999999999")]
    public void Classify_UnreadableRetryAfter_IsTreatedAsAbsent(string retryAfter)
    {
        Assert.Equal(InDialogFailureEffect.TransactionOnly, InDialogFailure.Classify(Answer(503, retryAfter), false, Limit).Effect);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(405)]
    [InlineData(489)]
    [InlineData(500)]
    [InlineData(501)]
    [InlineData(503)]
    [InlineData(603)]
    public void ClassifyPing_AnyAnswerBut408And481_ShowsTheSrsAlive(int code) =>
        Assert.Null(InDialogFailure.ClassifyPing(Answer(code)));

    [Fact]
    public void ClassifyPing_Timeout_EndsTheRecorderWithBye_ByTheSameRuleAsAnyInDialogRequest()
    {
        var timeout = new TransactionOutcome(TransactionOutcomeKind.Timeout, null, "no answer to OPTIONS within 4 s");

        var failure = InDialogFailure.ClassifyPing(timeout);

        Assert.NotNull(failure);
        Assert.Equal(InDialogFailure.Classify(timeout, true, Limit), failure);
        Assert.Equal(InDialogFailureEffect.UsageTerminated, failure.Effect);
    }

    [Fact]
    public void ClassifyPing_408_EndsWithBye_And481_EndsWithoutBye()
    {
        Assert.Equal(InDialogFailureEffect.UsageTerminated, InDialogFailure.ClassifyPing(Answer(408))!.Effect);
        Assert.Equal(InDialogFailureEffect.DialogGone, InDialogFailure.ClassifyPing(Answer(481))!.Effect);
    }

    [Fact]
    public void ClassifyPing_TransportError_EndsTheRecorderWithBye_ThoughAnOfferWouldKeepTheDialog()
    {
        var unreachable = new TransactionOutcome(TransactionOutcomeKind.TransportError, null, "connection refused");

        var failure = InDialogFailure.ClassifyPing(unreachable);

        Assert.Equal(InDialogFailureEffect.TransactionOnly, InDialogFailure.Classify(unreachable, false, Limit).Effect);
        Assert.Equal(InDialogFailureEffect.UsageTerminated, failure!.Effect);
        Assert.Contains("unreachable", failure.Rule);
        Assert.Contains("RFC 3261 §8.1.3.1", failure.Rule);
    }
}
