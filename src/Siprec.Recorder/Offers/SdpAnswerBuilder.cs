using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Siprec.Media.Srtp;
using Siprec.Sip.Sdp;

namespace Siprec.Recorder.Offers;

/// <summary>
/// Plans and answers SIPREC SDP offers (RFC 3264 §6, RFC 7866 §8.1): the same m-lines in the same order,
/// <c>a=recvonly</c> (or <c>a=inactive</c> for an inactive offer), <c>a=label</c> copied, port 0 for what
/// the SRS cannot record (non-audio, RTP/SAVP without a supported <c>a=crypto</c>, no PCMU/PCMA). An accepted
/// RTP/SAVP line is answered with the SRS's own fresh <c>a=crypto</c> under the chosen tag (RFC 4568 §5.1.2).
/// </summary>
internal static class SdpAnswerBuilder
{
    private static readonly string[] RecordableProtocols = ["RTP/AVP", "RTP/AVPF", SdesCrypto.SavpProtocol];

    /// <summary>Decides, per offered m-line, whether it is recorded and with which payload types.</summary>
    public static IReadOnlyList<StreamPlan> Plan(SdpSession offer)
    {
        var plans = new List<StreamPlan>(offer.Media.Count);
        for (var i = 0; i < offer.Media.Count; i++)
        {
            var media = offer.Media[i];
            var label = media.Label is { Length: > 0 } l ? l.Trim() : (i + 1).ToString(CultureInfo.InvariantCulture);
            var reason = DeclineReason(media);
            SdesCrypto? offered = null;
            if (reason is null && IsSecure(media)) reason = ChooseCrypto(media, out offered);
            plans.Add(new StreamPlan(i, label, G711PayloadTypes(media), reason)
            {
                OfferedCrypto = offered,
                AnswerCrypto = offered is null ? null : SdesCrypto.CreateRandom(offered.Tag, offered.Suite),
            });
        }
        return plans;
    }

    /// <summary>
    /// Builds the answer. <paramref name="ports"/> holds the SRS port per m-line (0 = declined); an m-line the
    /// offer disabled with port 0 is answered with port 0 whatever its socket (RFC 3264 §6).
    /// </summary>
    public static SdpSession BuildAnswer(SdpSession offer, IReadOnlyList<StreamPlan> plans, IReadOnlyList<int> ports, IPAddress address, SdpOrigin origin)
    {
        var connection = new SdpConnection("IN", AddressType(address), address.ToString());
        var media = new List<SdpMediaDescription>(offer.Media.Count);
        for (var i = 0; i < offer.Media.Count; i++)
        {
            var offered = offer.Media[i];
            var plan = plans[i];
            var port = i < ports.Count ? ports[i] : 0;
            if (!plan.Recorded || port == 0 || offered.Port == 0)
            {
                var formats = offered.Formats.Count > 0 ? offered.Formats : ["0"];
                var declinedAttributes = offered.Label is { } declinedLabel ? new List<SdpAttribute> { new("label", declinedLabel) } : [];
                media.Add(new SdpMediaDescription(offered.Media, 0, offered.Protocol, formats, null, declinedAttributes));
                continue;
            }

            var attributes = new List<SdpAttribute>();
            foreach (var pt in plan.PayloadTypes)
                attributes.Add(new SdpAttribute("rtpmap", pt == 0 ? "0 PCMU/8000" : "8 PCMA/8000"));
            if (offered.Label is { } label) attributes.Add(new SdpAttribute("label", label));
            if (plan.AnswerCrypto is { } crypto) attributes.Add(new SdpAttribute(SdesCrypto.AttributeName, crypto.FormatAttributeValue()));
            var direction = DirectionOf(offer, offered) is SdpDirection.Inactive or SdpDirection.RecvOnly ? "inactive" : "recvonly";
            attributes.Add(new SdpAttribute(direction, null));
            media.Add(new SdpMediaDescription(
                offered.Media, port, offered.Protocol,
                plan.PayloadTypes.Select(pt => pt.ToString(CultureInfo.InvariantCulture)).ToList(),
                null, attributes));
        }
        return new SdpSession(origin, "siprec-srs", connection, [], media);
    }

    /// <summary>
    /// True when the offer asks for no media on every recorded stream: all of them inactive (or recvonly) or
    /// port 0. That is the SIPREC pause (RFC 7866 §8.1.3).
    /// </summary>
    public static bool IsPause(SdpSession offer, IReadOnlyList<StreamPlan> plans)
    {
        var recorded = plans.Where(p => p.Recorded && p.MediaIndex < offer.Media.Count).ToList();
        if (recorded.Count == 0) return true;
        return recorded.All(p => offer.Media[p.MediaIndex] is var m
                                 && (m.Port == 0 || DirectionOf(offer, m) is SdpDirection.Inactive or SdpDirection.RecvOnly));
    }

    /// <summary>The m-line's direction attribute, else the session-level one, else sendrecv (RFC 4566 §6).</summary>
    public static SdpDirection DirectionOf(SdpSession session, SdpMediaDescription media) =>
        ExplicitDirection(media.Attributes) ?? ExplicitDirection(session.Attributes) ?? SdpDirection.SendRecv;

    private static SdpDirection? ExplicitDirection(IReadOnlyList<SdpAttribute> attributes)
    {
        foreach (var attribute in attributes)
        {
            switch (attribute.Name.ToLowerInvariant())
            {
                case "sendrecv": return SdpDirection.SendRecv;
                case "sendonly": return SdpDirection.SendOnly;
                case "recvonly": return SdpDirection.RecvOnly;
                case "inactive": return SdpDirection.Inactive;
            }
        }
        return null;
    }

    /// <summary>"IP4" or "IP6" for SDP <c>c=</c> and <c>o=</c> lines (RFC 4566 §5.7).</summary>
    public static string AddressType(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4";

    private static bool IsSecure(SdpMediaDescription media) =>
        media.Protocol.Equals(SdesCrypto.SavpProtocol, StringComparison.OrdinalIgnoreCase);

    /// <summary>The first <c>a=crypto</c> this SRS supports (RFC 4568 §5.1.2: the answerer picks one); else why none fits.</summary>
    private static string? ChooseCrypto(SdpMediaDescription media, out SdesCrypto? chosen)
    {
        chosen = null;
        string? firstError = null;
        foreach (var attribute in media.Attributes)
        {
            if (!attribute.Name.Equals(SdesCrypto.AttributeName, StringComparison.OrdinalIgnoreCase)) continue;
            if (SdesCrypto.TryParse(attribute.Value, out chosen, out var error)) return null;
            firstError ??= error;
        }
        return $"transport {media.Protocol} has no supported a=crypto ({firstError ?? "none offered"})";
    }

    private static string? DeclineReason(SdpMediaDescription media)
    {
        if (!media.Media.Equals("audio", StringComparison.OrdinalIgnoreCase)) return $"m={media.Media} is not audio";
        if (media.Port == 0) return "offered with port 0";
        if (!RecordableProtocols.Contains(media.Protocol, StringComparer.OrdinalIgnoreCase)) return $"transport {media.Protocol} is not supported";
        if (G711PayloadTypes(media).Count == 0) return "no PCMU or PCMA payload type offered";
        return null;
    }

    private static List<int> G711PayloadTypes(SdpMediaDescription media)
    {
        var result = new List<int>();
        foreach (var format in media.Formats)
        {
            if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var pt)) continue;
            var codec = CodecOf(media, pt);
            if (codec is 0 or 8 && !result.Contains(codec.Value)) result.Add(codec.Value);
        }
        return result;
    }

    /// <summary>0 for PCMU, 8 for PCMA (static or by rtpmap name at 8 kHz), else null.</summary>
    private static int? CodecOf(SdpMediaDescription media, int pt)
    {
        foreach (var attribute in media.Attributes)
        {
            if (!attribute.Name.Equals("rtpmap", StringComparison.OrdinalIgnoreCase) || attribute.Value is null) continue;
            var parts = attribute.Value.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || parts[0] != pt.ToString(CultureInfo.InvariantCulture)) continue;
            var encoding = parts[1].Trim();
            if (encoding.StartsWith("PCMU/8000", StringComparison.OrdinalIgnoreCase)) return pt == 0 ? 0 : null;
            if (encoding.StartsWith("PCMA/8000", StringComparison.OrdinalIgnoreCase)) return pt == 8 ? 8 : null;
            return null;
        }
        return pt is 0 or 8 ? pt : null;
    }

    /// <summary>Channel order: numeric labels numerically when all are numeric, otherwise ordinal string order; ties keep m-line order.</summary>
    internal static List<StreamPlan> OrderByLabel(List<StreamPlan> plans)
    {
        var numeric = plans.All(p => decimal.TryParse(p.Label, NumberStyles.Integer, CultureInfo.InvariantCulture, out _));
        return numeric
            ? plans.OrderBy(p => decimal.Parse(p.Label, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToList()
            : plans.OrderBy(p => p.Label, StringComparer.Ordinal).ToList();
    }
}
