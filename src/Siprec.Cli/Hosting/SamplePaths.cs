namespace Siprec.Cli.Hosting;

/// <summary>The sample flow and audio shipped beside the <c>siprec</c> binary (copied from <c>samples/</c> at build).</summary>
internal static class SamplePaths
{
    /// <summary>Folder of the sample WAVs (caller utterance and prompts).</summary>
    public static string Audio => Path.Combine(AppContext.BaseDirectory, "samples", "audio");

    /// <summary>The demo flow: start recording, prompts, pause around the card number, resume, stop, hang up.</summary>
    public static string RecordCallFlow => Path.Combine(AppContext.BaseDirectory, "samples", "flows", "record-call.json");
}
