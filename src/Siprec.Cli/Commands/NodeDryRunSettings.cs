namespace Siprec.Cli.Commands;

/// <summary>The options of <c>siprec node run</c> as given (JSON and runtime still text; <see cref="NodeDryRun"/> checks them).</summary>
/// <param name="Activity">The activity field.</param>
/// <param name="Server">The Call Recording Server field, or null.</param>
/// <param name="RecordingId">The Call Recording ID field, or null.</param>
/// <param name="Context">The flow context JSON object text, or null for <c>{}</c>.</param>
/// <param name="Input">The input JSON object text, or null for <c>{}</c>.</param>
/// <param name="Profile">The profile JSON object text, or null for <c>{}</c>.</param>
/// <param name="Runtime"><c>gateway</c>, <c>voiceGateway2</c> or <c>vg2</c>.</param>
/// <param name="CallSid">Sent as <c>X-Call-Sid</c>.</param>
internal sealed record NodeDryRunSettings(string Activity, string? Server, string? RecordingId, string? Context, string? Input,
    string? Profile, string Runtime, string CallSid)
{
    public const string DefaultCallSid = "CA-dry-run";
}
