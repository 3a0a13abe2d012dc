using System.Net;
using Siprec.Sip.Dialogs;
using Siprec.Sip.Messages;
using Siprec.Sip.Tests.Transactions;
using Siprec.Sip.Transactions;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Tests.Dialogs;

public sealed class UdpLoopbackDialogTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task TwoLayersOnLoopback_CompleteInviteOkAckByeOk()
    {
        var uasUser = new RecordingUser();
        var uacUser = new RecordingUser();
        await using var uas = new TransactionLayer(new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0)), uasUser, TimeProvider.System, new SipTransactionOptions());
        await using var uac = new TransactionLayer(new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0)), uacUser, TimeProvider.System, new SipTransactionOptions());
        var uasAddress = uas.Transport.LocalEndPoint;
        var uasContact = SipUri.Parse($"sip:srs@127.0.0.1:{uasAddress.Port}");
        Dialog? uasDialog = null;
        uasUser.OnRequest = async tx =>
        {
            if (tx.Request.Method == SipMethods.Invite)
            {
                var tag = SipIds.NewTag();
                uasDialog = Dialog.CreateAsUas(tx.Request, tag, uasContact);
                await tx.RespondAsync(SipResponse.CreateFor(tx.Request, 200, toTag: tag).AddHeader("Contact", $"<{uasContact}>"));
            }
            else
            {
                var accepted = uasDialog!.Matches(tx.Request) && uasDialog.TryAcceptRemoteSequence(tx.Request.CSeq!.Value.Sequence);
                await tx.RespondAsync(SipResponse.CreateFor(tx.Request, accepted ? 200 : 481));
            }
        };
        uas.Start();
        uac.Start();

        var invite = new SipRequest(SipMethods.Invite, uasContact) { Headers =
        [
            new SipHeader("From", "<sip:src@127.0.0.1>;tag=" + SipIds.NewTag()),
            new SipHeader("To", $"<{uasContact}>"),
            new SipHeader("Call-ID", SipIds.NewCallId("127.0.0.1")),
            new SipHeader("CSeq", "1 INVITE"),
            new SipHeader("Contact", $"<sip:src@127.0.0.1:{uac.Transport.LocalEndPoint.Port}>"),
        ] };
        var answer = await uac.SendRequestAsync(invite, uasAddress).WaitAsync(Wait);
        Assert.True(answer.IsSuccess, answer.Error);
        var dialog = Dialog.CreateAsUac(invite, answer.Response!);
        Assert.Equal(uasContact.ToString(), dialog.RemoteTarget.ToString());

        await uac.SendAckAsync(dialog.CreateAck(1), uasAddress);
        Assert.True(await uasUser.AckSeen.WaitAsync(Wait));
        Assert.True(uasDialog!.Matches(Assert.Single(uasUser.Acks).Message));

        var bye = dialog.CreateRequest(SipMethods.Bye);
        Assert.Equal(new CSeq(2, SipMethods.Bye), bye.CSeq);
        var byeOutcome = await uac.SendRequestAsync(bye, uasAddress).WaitAsync(Wait);
        Assert.Equal(200, byeOutcome.StatusCode);
        Assert.True(dialog.Matches(byeOutcome.Response!));
        Assert.Equal(2u, uasDialog.RemoteSequence);
    }

    [Fact]
    public async Task UdpTransport_SurvivesGarbageAndAThrowingHandler()
    {
        await using var transport = new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0));
        var received = new SemaphoreSlim(0);
        var count = 0;
        transport.Start((data, _) =>
        {
            received.Release();
            if (Interlocked.Increment(ref count) == 1) throw new InvalidOperationException("handler bug");
        });
        await using var sender = new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0));
        await sender.SendAsync(new byte[] { 0, 1, 2 }, transport.LocalEndPoint);
        Assert.True(await received.WaitAsync(Wait));
        await sender.SendAsync("OPTIONS"u8.ToArray(), transport.LocalEndPoint);
        Assert.True(await received.WaitAsync(Wait));
        await sender.SendAsync(new byte[] { 9 }, new IPEndPoint(IPAddress.Loopback, 9));
        await sender.SendAsync("again"u8.ToArray(), transport.LocalEndPoint);
        Assert.True(await received.WaitAsync(Wait));
    }
}
