namespace Siprec.Recording;

/// <summary>One side of the recorded call: the caller (stream label 1) or the bot (stream label 2).</summary>
public enum CallParty
{
    /// <summary>The caller: its audio is the inbound track (label 1).</summary>
    Caller,

    /// <summary>The bot (callee): its audio is the outbound track (label 2).</summary>
    Bot,
}
