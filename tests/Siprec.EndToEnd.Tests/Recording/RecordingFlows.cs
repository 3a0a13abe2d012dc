namespace Siprec.EndToEnd.Tests.Recording;

/// <summary>The flows the SRS scenario tests run on the gateway (JSON as in <c>samples/flows/</c>); <c>cc.srs</c> holds the SRS URIs.</summary>
internal static class RecordingFlows
{
    /// <summary>Start recording, keep the call up for <paramref name="seconds"/>, stop, hang up.</summary>
    public static string StartWaitStop(int seconds) => $$$"""
        {"name":"srs-scenario","nodes":[
          {"type":"callRecording","config":{"activity":"startCallRecording","recordingServer":"{{ cc.srs }}","recordingId":"e2e-srs"}},
          {"type":"wait","config":{"seconds":{{{seconds}}}}},
          {"type":"callRecording","config":{"activity":"stopCallRecording"}},
          {"type":"hangUp"}]}
        """;

    /// <summary>Start, wait 1 s, pause, wait 1 s, resume, wait 1 s, stop, hang up.</summary>
    public static string StartPauseResumeStop() => """
        {"name":"srs-pause-scenario","nodes":[
          {"type":"callRecording","config":{"activity":"startCallRecording","recordingServer":"{{ cc.srs }}","recordingId":"e2e-srs"}},
          {"type":"wait","config":{"seconds":1}},
          {"type":"callRecording","config":{"activity":"pauseCallRecording"}},
          {"type":"wait","config":{"seconds":1}},
          {"type":"callRecording","config":{"activity":"resumeCallRecording"}},
          {"type":"wait","config":{"seconds":1}},
          {"type":"callRecording","config":{"activity":"stopCallRecording"}},
          {"type":"hangUp"}]}
        """;
}
