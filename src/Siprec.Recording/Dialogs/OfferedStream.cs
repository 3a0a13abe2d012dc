using Siprec.Media.Forwarding;

namespace Siprec.Recording.Dialogs;

/// <summary>One m-line of a recording dialog: whose audio it carries, its fixed label, and the forwarder feeding it.</summary>
internal sealed record OfferedStream(CallParty Party, string Label, RtpForwarder Forwarder);
