namespace Siprec.Cli.Demo;

/// <summary>What the demo runs on and where it writes.</summary>
/// <param name="OutputDirectory">Recordings go to <c>srs1/</c> and <c>srs2/</c> below it.</param>
/// <param name="FlowPath">The flow JSON the gateway runs on the call.</param>
/// <param name="AudioDirectory">Holds <c>caller.wav</c> and the <c>prompt-*.wav</c> files.</param>
/// <param name="MaxCallDuration">The caller hangs up itself after this long.</param>
internal sealed record DemoSettings(string OutputDirectory, string FlowPath, string AudioDirectory, TimeSpan MaxCallDuration);
