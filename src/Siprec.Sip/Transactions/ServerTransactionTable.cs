using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Siprec.Sip.Messages;
using Siprec.Sip.Transport;

namespace Siprec.Sip.Transactions;

/// <summary>
/// The server side of the receive path (RFC 3261 §17.2.3 matching, §18.2.1 received/rport, §9.2 CANCEL): one table of
/// server transactions per <see cref="TransactionLayer"/>, so the layer itself only routes and runs client transactions.
/// </summary>
internal sealed class ServerTransactionTable
{
    private readonly ConcurrentDictionary<string, ServerTransactionMachine> _servers = new();
    private readonly ConcurrentDictionary<string, ServerTransaction> _serverHandles = new();
    private readonly ConcurrentDictionary<string, ServerInviteTransaction> _acceptedByAckKey = new();
    private readonly TransactionLayer _layer;
    private readonly CancellationTokenSource _stopping;

    /// <param name="layer">The layer whose machines these are (timers, sends, the TU, logging).</param>
    /// <param name="stopping">The layer's stop signal: the token handed to the TU with each new request.</param>
    public ServerTransactionTable(TransactionLayer layer, CancellationTokenSource stopping)
    {
        _layer = layer;
        _stopping = stopping;
    }

    /// <summary>Ends every server transaction (the layer is being disposed).</summary>
    public void TerminateAll()
    {
        foreach (var tx in _servers.Values) tx.Terminate();
    }

    /// <summary>Drops a terminated machine from every index it is in.</summary>
    public void Forget(ServerTransactionMachine tx)
    {
        _servers.TryRemove(new KeyValuePair<string, ServerTransactionMachine>(tx.Key, tx));
        _serverHandles.TryRemove(tx.Key, out _);
        if (tx is ServerInviteTransaction invite) _acceptedByAckKey.TryRemove(new KeyValuePair<string, ServerInviteTransaction>(invite.AckKey, invite));
    }

    /// <summary>
    /// A request that does not parse is answered with the parser's suggested status through a server transaction
    /// when its Via, From, To, Call-ID and CSeq allow one, so its retransmissions are absorbed; else dropped.
    /// </summary>
    public void HandleParseError(ISipTransport transport, ReadOnlySpan<byte> data, IPEndPoint remote, SipParseError error, IReadOnlyList<SipHeader>? rawHeaders)
    {
        var isResponse = data.StartsWith("SIP/"u8);
        var probe = rawHeaders is null ? null : new SipRequest("X", new SipUri()) { Headers = rawHeaders };
        var canAnswer = !isResponse && probe is not null && error.SuggestedStatusCode >= 400
            && probe.GetHeader("Via") is not null && probe.GetHeader("From") is not null && probe.GetHeader("To") is not null
            && probe.GetHeader("Call-ID") is not null && probe.GetHeader("CSeq") is { } cseq
            && !cseq.TrimEnd().EndsWith(" ACK", StringComparison.Ordinal);
        if (!canAnswer)
        {
            Log.ParseFailed(_layer.Logger, isResponse ? "response" : "request", remote, error.Reason.ToString(), error.Detail);
            return;
        }
        var response = SipResponse.CreateFor(probe!, error.SuggestedStatusCode, toTag: SipIds.NewTag())
            .AddHeader("Warning", "399 " + transport.LocalEndPoint.Address + " " + SipGrammarQuote(error.Detail));
        Log.ParseFailedAnswered(_layer.Logger, remote, error.SuggestedStatusCode, error.Detail);
        var top = probe!.Vias.Count > 0 ? probe.Vias[0] : null;
        var hop = new Hop(transport, new SipTarget(remote, transport.Protocol)); // the source: a broken request's Via is not trusted
        var method = MethodOfCSeq(probe.GetHeader("CSeq")!);
        if (top is null)
        {
            _ = _layer.TrySendAsync(hop, SipSerializer.Serialize(response));
            return;
        }
        var key = ServerKey(probe, top, method);
        if (AbsorbedAsRetransmission(key)) return;
        var machine = NewServerMachine(method, key, probe, hop);
        if (_servers.TryAdd(key, machine)) _ = machine.RespondAsync(response);
    }

    private static string MethodOfCSeq(string cseq)
    {
        var parts = cseq.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 ? parts[^1] : "?";
    }

    private static string SipGrammarQuote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\') builder.Append('\\');
            builder.Append(c < ' ' ? ' ' : c);
        }
        return builder.Append('"').ToString();
    }

    public void HandleRequest(ISipTransport transport, IncomingMessage incoming, IPEndPoint remote)
    {
        var request = WithReceivedAndRPort((SipRequest)incoming.Message, remote);
        incoming = incoming with { Message = request };
        var top = request.Vias[0];
        var method = request.Method;

        if (method == SipMethods.Ack)
        {
            if (_servers.TryGetValue(ServerKey(request, top, SipMethods.Invite), out var machine) && machine is ServerInviteTransaction invite
                && invite.Current is ServerInviteTransaction.State.Completed or ServerInviteTransaction.State.Confirmed)
            {
                invite.OnAck();
                return;
            }
            if (_acceptedByAckKey.TryGetValue(TransactionLayer.AckKeyFor(request.CallId, request.CSeq?.Sequence), out var accepted)) accepted.OnAckForSuccess();
            _layer.InvokeSafely(() => _layer.User.OnAck(incoming), nameof(ITransactionUser.OnAck));
            return;
        }

        var key = ServerKey(request, top, method);
        if (AbsorbedAsRetransmission(key)) return;
        var destination = new Hop(transport, ResponseTarget(transport, top, remote));

        if (method == SipMethods.Cancel)
        {
            HandleCancel(request, top, key, destination);
            return;
        }

        if (_layer.Options.Validation is { } policy && !SipRequestValidator.TryValidate(request, policy, out var rejection))
        {
            Reject(request, key, destination, rejection!);
            return;
        }

        var tx = NewServerMachine(method, key, request, destination);
        var handle = new ServerTransaction(incoming, request) { Machine = tx };
        if (!_servers.TryAdd(key, tx)) return;
        _serverHandles[key] = handle;
        if (tx is ServerInviteTransaction inviteTx)
        {
            _acceptedByAckKey[inviteTx.AckKey] = inviteTx;
            _ = inviteTx.SendTryingAsync();
        }
        _ = Task.Run(() => DispatchAsync(handle));
    }

    /// <summary>A request whose server transaction exists is a retransmission (§17.2.3); that machine absorbs it.</summary>
    private bool AbsorbedAsRetransmission(string key)
    {
        if (!_servers.TryGetValue(key, out var existing)) return false;
        existing.OnRetransmission();
        return true;
    }

    /// <summary>The §17.2.1 machine for INVITE, the §17.2.2 one for anything else.</summary>
    private ServerTransactionMachine NewServerMachine(string method, string key, SipRequest request, Hop hop) =>
        method == SipMethods.Invite
            ? new ServerInviteTransaction(_layer, key, request, hop)
            : new ServerNonInviteTransaction(_layer, key, request, hop);

    private async Task DispatchAsync(ServerTransaction handle)
    {
        CancellationToken token;
        try
        {
            token = _stopping.Token;
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        try
        {
            await _layer.User.OnRequestAsync(handle, token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.UserFailed(_layer.Logger, handle.Request.Method, handle.Request.CallId ?? "none", ex);
            if (!handle.IsFinal) await handle.Machine.RespondAsync(SipResponse.CreateFor(handle.Request, 500, toTag: SipIds.NewTag())).ConfigureAwait(false);
        }
    }

    /// <summary>Answers a request that failed validation (RFC 3261 §8.2) through a server transaction the TU never sees.</summary>
    private void Reject(SipRequest request, string key, Hop destination, SipResponse rejection)
    {
        var machine = NewServerMachine(request.Method, key, request, destination);
        if (!_servers.TryAdd(key, machine)) return;
        Log.Rejected(_layer.Logger, request.Method, destination.Target.EndPoint, rejection.StatusCode, rejection.GetHeader("Warning") ?? "");
        _ = machine.RespondAsync(rejection);
    }

    private void HandleCancel(SipRequest cancel, Via top, string key, Hop destination)
    {
        var cancelTx = new ServerNonInviteTransaction(_layer, key, cancel, destination);
        if (!_servers.TryAdd(key, cancelTx)) return;
        var inviteKey = ServerKey(cancel, top, SipMethods.Invite);
        if (!_serverHandles.TryGetValue(inviteKey, out var inviteHandle) || inviteHandle.Machine is not ServerInviteTransaction invite)
        {
            _ = cancelTx.RespondAsync(SipResponse.CreateFor(cancel, 481, toTag: SipIds.NewTag()));
            return;
        }
        var toTag = cancel.To?.Tag ?? SipIds.NewTag();
        _ = cancelTx.RespondAsync(SipResponse.CreateFor(cancel, 200, toTag: toTag));
        if (invite.IsFinal) return;
        _ = invite.RespondAsync(SipResponse.CreateFor(inviteHandle.Request, 487, toTag: toTag));
        _layer.InvokeSafely(() => _layer.User.OnCancelled(inviteHandle), nameof(ITransactionUser.OnCancelled));
    }

    /// <summary>Server transaction key (§17.2.3): branch, sent-by and method; RFC 2543 peers without the magic cookie fall back to dialog fields.</summary>
    private static string ServerKey(SipRequest request, Via top, string method)
    {
        var branch = top.Branch;
        if (branch is not null && branch.StartsWith(SipIds.MagicCookie, StringComparison.Ordinal) && branch.Length > SipIds.MagicCookie.Length)
        {
            return branch + "|" + top.SentBy + "|" + method;
        }
        return "2543|" + request.CallId + "|" + request.CSeq?.Sequence.ToString(CultureInfo.InvariantCulture) + "|"
            + request.From?.Tag + "|" + top.SentBy + "|" + method;
    }

    /// <summary>RFC 3261 §18.2.1 <c>received</c> and RFC 3581 §4 <c>rport</c> on the top Via.</summary>
    private static SipRequest WithReceivedAndRPort(SipRequest request, IPEndPoint remote)
    {
        var top = request.Vias[0];
        var updated = top;
        var sourceAddress = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        var source = sourceAddress.ToString();
        if (!string.Equals(top.Host.Trim('[', ']'), source, StringComparison.OrdinalIgnoreCase)) updated = updated.WithParameter("received", source);
        if (top.HasRPort) updated = updated.WithParameter("rport", remote.Port.ToString(CultureInfo.InvariantCulture)).WithParameter("received", source);
        if (ReferenceEquals(updated, top)) return request;
        var headers = new List<SipHeader>(request.Headers);
        for (var i = 0; i < headers.Count; i++)
        {
            if (!HeaderNames.Matches(headers[i].Name, "Via")) continue;
            var items = SipGrammarSplit(headers[i].Value);
            items[0] = updated.ToString();
            headers[i] = new SipHeader(headers[i].Name, string.Join(", ", items));
            break;
        }
        return request with { Headers = headers };
    }

    private static List<string> SipGrammarSplit(string value) => SipGrammar.Split(value, ',');

    /// <summary>
    /// Where a response goes (RFC 3261 §18.2.2, RFC 3581 §4): over TCP/TLS back on the connection the request came
    /// in on; over UDP to received else the source address, rport else the sent-by port.
    /// </summary>
    private static SipTarget ResponseTarget(ISipTransport transport, Via top, IPEndPoint remote)
    {
        if (transport.IsReliable) return new SipTarget(remote, transport.Protocol);
        var address = IPAddress.TryParse(top.Received ?? "", out var received) ? received : remote.Address;
        var port = top.RPort ?? top.Port ?? 5060;
        return new SipTarget(new IPEndPoint(address, port), SipTransportProtocol.Udp);
    }
}
