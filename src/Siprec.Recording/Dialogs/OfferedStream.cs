namespace Siprec.Recording.Dialogs;

/// <summary>One m-line of a recording dialog: whose audio it carries and its fixed label (the media engine carries the packets).</summary>
internal sealed record OfferedStream(CallParty Party, string Label);
