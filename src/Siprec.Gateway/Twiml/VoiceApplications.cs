using Siprec.Gateway.Configuration;
using Siprec.Sip.Messages;

namespace Siprec.Gateway.Twiml;

/// <summary>
/// Which voice application a new call runs, most specific first: the called number's (<c>numbers</c>: the To URI's user
/// part, e.g. <c>+15550001111</c>), then its account's <c>voiceUrl</c>, then the gateway's (<c>--twiml FILE</c> or the
/// configuration's <c>twiml</c>); none: the JSON flow, if any.
/// </summary>
internal sealed class VoiceApplications
{
    private readonly VoiceApplication? _gateway;
    private readonly Dictionary<string, VoiceApplication> _accounts;
    private readonly IReadOnlyDictionary<string, VoiceApplication> _numbers;

    /// <param name="gateway">The gateway-wide application; null for none.</param>
    /// <param name="accounts">The accounts, some with an application.</param>
    /// <param name="numbers">Applications by called number.</param>
    public VoiceApplications(VoiceApplication? gateway, IReadOnlyList<GatewayAccount> accounts, IReadOnlyDictionary<string, VoiceApplication> numbers)
    {
        _gateway = gateway;
        _accounts = accounts.Where(a => a.Application is not null).ToDictionary(a => a.Sid, a => a.Application!, StringComparer.Ordinal);
        _numbers = numbers;
    }

    /// <summary>Whether any call could run an application.</summary>
    public bool Any => _gateway is not null || _accounts.Count > 0 || _numbers.Count > 0;

    /// <summary>The application of a call; null when it has none.</summary>
    /// <param name="invite">The call's INVITE.</param>
    /// <param name="accountSid">The account the call belongs to; null when none.</param>
    public VoiceApplication? For(SipRequest invite, string? accountSid)
    {
        ArgumentNullException.ThrowIfNull(invite);
        if (invite.To?.Uri.User is { } number && _numbers.TryGetValue(number, out var byNumber)) return byNumber;
        if (accountSid is not null && _accounts.TryGetValue(accountSid, out var byAccount)) return byAccount;
        return _gateway;
    }
}
