using System.Globalization;
using Siprec.Sip.Messages;

namespace Siprec.Sip.Dialogs;

/// <summary>
/// Dialog state (RFC 3261 §12): id, parties, route set, remote target and CSeq spaces. Builds in-dialog
/// requests (§12.2.1.1) and ACKs for 2xx (§13.2.2.4). Thread-safe for sequence updates.
/// </summary>
public sealed class Dialog
{
    private readonly object _gate = new();
    private uint _localSequence;
    private uint? _remoteSequence;
    private SipUri _remoteTarget;

    private Dialog(DialogId id, NameAddress localParty, NameAddress remoteParty, SipUri localContact, SipUri remoteTarget,
        IReadOnlyList<NameAddress> routeSet, uint localSequence, uint? remoteSequence)
    {
        Id = id;
        LocalParty = localParty;
        RemoteParty = remoteParty;
        LocalContact = localContact;
        _remoteTarget = remoteTarget;
        RouteSet = routeSet;
        _localSequence = localSequence;
        _remoteSequence = remoteSequence;
    }

    /// <summary>The dialog id.</summary>
    public DialogId Id { get; }

    /// <summary>Our address with our tag (goes in From of our requests).</summary>
    public NameAddress LocalParty { get; }

    /// <summary>The peer's address with its tag (goes in To of our requests).</summary>
    public NameAddress RemoteParty { get; }

    /// <summary>Our Contact URI (sent in INVITE/UPDATE and 2xx).</summary>
    public SipUri LocalContact { get; }

    /// <summary>The peer's Contact URI: the Request-URI of our requests, or the first hop when the route set is loose-routed.</summary>
    public SipUri RemoteTarget
    {
        get { lock (_gate) return _remoteTarget; }
    }

    /// <summary>The route set (§12.1.1/§12.1.2), in the order it goes into Route headers.</summary>
    public IReadOnlyList<NameAddress> RouteSet { get; }

    /// <summary>The last CSeq number we used.</summary>
    public uint LocalSequence
    {
        get { lock (_gate) return _localSequence; }
    }

    /// <summary>The last CSeq number the peer used, or null before its first in-dialog request.</summary>
    public uint? RemoteSequence
    {
        get { lock (_gate) return _remoteSequence; }
    }

    /// <summary>
    /// The UAC side (§12.1.2) from our INVITE and a 2xx (or a 1xx with a To tag, for an early dialog).
    /// Route set = Record-Route reversed; remote target = the response's Contact.
    /// </summary>
    /// <exception cref="ArgumentException">The response has no To tag, or the INVITE lacks From tag, Call-ID or CSeq.</exception>
    public static Dialog CreateAsUac(SipRequest invite, SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(invite);
        ArgumentNullException.ThrowIfNull(response);
        var from = invite.From ?? throw new ArgumentException("the INVITE has no valid From", nameof(invite));
        var to = response.To ?? throw new ArgumentException("the response has no valid To", nameof(response));
        var callId = invite.CallId ?? throw new ArgumentException("the INVITE has no Call-ID", nameof(invite));
        var cseq = invite.CSeq ?? throw new ArgumentException("the INVITE has no CSeq", nameof(invite));
        if (from.Tag is null) throw new ArgumentException("the INVITE's From has no tag", nameof(invite));
        if (to.Tag is null) throw new ArgumentException("the response's To has no tag; no dialog can be formed", nameof(response));
        var routes = response.RecordRoutes.Reverse().ToArray();
        var target = response.Contact?.Uri ?? invite.RequestUri;
        var localContact = invite.Contact?.Uri ?? from.Uri;
        return new Dialog(new DialogId(callId, from.Tag, to.Tag), from, to, localContact, target, routes, cseq.Sequence, null);
    }

    /// <summary>
    /// The UAS side (§12.1.1) from a received INVITE, the To tag we put in our response, and our Contact.
    /// Route set = Record-Route in order; remote target = the INVITE's Contact.
    /// </summary>
    /// <exception cref="ArgumentException">The INVITE lacks From tag, To, Call-ID or CSeq.</exception>
    public static Dialog CreateAsUas(SipRequest invite, string localTag, SipUri localContact)
    {
        ArgumentNullException.ThrowIfNull(invite);
        ArgumentException.ThrowIfNullOrEmpty(localTag);
        ArgumentNullException.ThrowIfNull(localContact);
        var from = invite.From ?? throw new ArgumentException("the INVITE has no valid From", nameof(invite));
        var to = invite.To ?? throw new ArgumentException("the INVITE has no valid To", nameof(invite));
        var callId = invite.CallId ?? throw new ArgumentException("the INVITE has no Call-ID", nameof(invite));
        var cseq = invite.CSeq ?? throw new ArgumentException("the INVITE has no CSeq", nameof(invite));
        if (from.Tag is null) throw new ArgumentException("the INVITE's From has no tag (RFC 2543 peers are not supported)", nameof(invite));
        var local = to.WithTag(localTag);
        var target = invite.Contact?.Uri ?? from.Uri;
        var routes = invite.RecordRoutes.ToArray();
        return new Dialog(new DialogId(callId, localTag, from.Tag), local, from, localContact, target, routes, 0, cseq.Sequence);
    }

    /// <summary>
    /// A new in-dialog request (§12.2.1.1) with the next local CSeq: Request-URI and Route per the route set
    /// (loose or strict routing), From/To/Call-ID, Max-Forwards 70, Contact for INVITE and UPDATE. Not for ACK.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="method"/> is ACK or CANCEL (use <see cref="CreateAck"/> or the transaction layer).</exception>
    public SipRequest CreateRequest(string method)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        if (method is SipMethods.Ack or SipMethods.Cancel) throw new ArgumentException($"{method} does not take a new CSeq; use CreateAck or cancellation", nameof(method));
        uint sequence;
        lock (_gate) sequence = _localSequence = _localSequence == 0 ? 1 : _localSequence + 1;
        var request = Build(method, sequence);
        if (method is SipMethods.Invite or SipMethods.Update) request = request.AddHeader("Contact", new NameAddress(LocalContact).ToString());
        return request;
    }

    /// <summary>The ACK for a 2xx to the INVITE with CSeq number <paramref name="inviteSequence"/> (§13.2.2.4).</summary>
    public SipRequest CreateAck(uint inviteSequence) => Build(SipMethods.Ack, inviteSequence);

    /// <summary>
    /// Records the CSeq of an in-dialog request from the peer (§12.2.2): false when it is not higher than the
    /// last one (answer 500), true otherwise.
    /// </summary>
    public bool TryAcceptRemoteSequence(uint sequence)
    {
        lock (_gate)
        {
            if (_remoteSequence is { } last && sequence <= last) return false;
            _remoteSequence = sequence;
            return true;
        }
    }

    /// <summary>Target refresh (§12.2.1.2/§12.2.2): a new Contact from a re-INVITE or UPDATE or their 2xx.</summary>
    public void UpdateRemoteTarget(SipUri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_gate) _remoteTarget = target;
    }

    /// <summary>True when <paramref name="message"/> belongs to this dialog: same Call-ID and matching tags in either direction.</summary>
    public bool Matches(SipMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!string.Equals(message.CallId, Id.CallId, StringComparison.Ordinal)) return false;
        var fromTag = message.From?.Tag;
        var toTag = message.To?.Tag;
        return message switch
        {
            SipRequest => fromTag == Id.RemoteTag && toTag == Id.LocalTag,
            _ => fromTag == Id.LocalTag && toTag == Id.RemoteTag,
        };
    }

    private SipRequest Build(string method, uint sequence)
    {
        var target = RemoteTarget;
        var headers = new List<SipHeader>();
        SipUri requestUri;
        if (RouteSet.Count > 0 && RouteSet[0].Uri.GetParameter("lr") is null)
        {
            requestUri = RouteSet[0].Uri with { Parameters = RouteSet[0].Uri.Parameters.Where(p => !p.Key.Equals("method", StringComparison.OrdinalIgnoreCase)).ToArray() };
            for (var i = 1; i < RouteSet.Count; i++) headers.Add(new SipHeader("Route", RouteSet[i].ToString()));
            headers.Add(new SipHeader("Route", new NameAddress(target).ToString()));
        }
        else
        {
            requestUri = target;
            foreach (var route in RouteSet) headers.Add(new SipHeader("Route", route.ToString()));
        }
        headers.Add(new SipHeader("Max-Forwards", "70"));
        headers.Add(new SipHeader("From", LocalParty.ToString()));
        headers.Add(new SipHeader("To", RemoteParty.ToString()));
        headers.Add(new SipHeader("Call-ID", Id.CallId));
        headers.Add(new SipHeader("CSeq", sequence.ToString(CultureInfo.InvariantCulture) + " " + method));
        return new SipRequest(method, requestUri) { Headers = headers };
    }
}
