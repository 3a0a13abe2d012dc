using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;
using Siprec.Media.Wav;
using Siprec.Recorder.Tests.Support;

namespace Siprec.Recorder.Tests;

/// <summary>
/// The output folder at start-up (issue 12): refused when it cannot be written, and recordings a killed SRS left open in it
/// are finalized (WAV header matches the data, sidecar final with <c>reason: "recorder restarted"</c>, no temporary file).
/// </summary>
public sealed class RecordingServerFolderTests : IDisposable
{
    private readonly TempDirectory _output = new();

    public void Dispose() => _output.Dispose();

    [Fact]
    public async Task AnOutputFolderThatCannotBeCreated_FailsTheStart_NamingIt()
    {
        var file = Path.Combine(_output.Path, "a-file");
        await File.WriteAllTextAsync(file, "not a folder");
        var folder = Path.Combine(file, "recordings");
        await using var server = new RecordingServer(new RecordingServerOptions { OutputDirectory = folder }, TimeProvider.System, NullLoggerFactory.Instance);

        var error = await Assert.ThrowsAsync<IOException>(() => server.StartAsync(CancellationToken.None));

        Assert.StartsWith($"the recording folder {folder} is not writable: ", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => server.ListenEndPoints);
    }

    [Fact]
    public async Task ARecordingLeftOpenByACrash_IsFinalizedAtStart_WithItsWavHeaderFixed()
    {
        var wav = Path.Combine(_output.Path, "srs-crashed.wav");
        using (var writer = WavWriter.Create(wav, 8000, 2))
        {
            writer.WriteFrames(new short[2 * 8000]);
            writer.Flush(); // the header counts 1 s, as the last flush before the kill left it
        }
        // Audio written after that flush, then half a frame the kill cut off: the header no longer matches.
        await using (var append = new FileStream(wav, FileMode.Append))
            append.Write(new byte[(2 * 2 * 4000) + 2]);
        var json = Path.Combine(_output.Path, "srs-crashed.json");
        await File.WriteAllTextAsync(json, new JObject
        {
            ["sessionId"] = "srs-crashed",
            ["startTime"] = "2026-01-01T00:00:00.000Z",
            ["stopTime"] = null,
            ["complete"] = false,
            ["durationSeconds"] = 0.8,
            ["wavFile"] = "srs-crashed.wav",
            ["pauses"] = new JArray(new JObject { ["start"] = "2026-01-01T00:00:00.500Z", ["end"] = null }),
        }.ToString());
        await File.WriteAllTextAsync(json + ".tmp", "");
        var finished = Path.Combine(_output.Path, "srs-finished.json");
        var finishedText = new JObject { ["sessionId"] = "srs-finished", ["complete"] = true, ["stopTime"] = "2026-01-01T00:00:09.000Z" }.ToString();
        await File.WriteAllTextAsync(finished, finishedText);

        await using (var server = new RecordingServer(new RecordingServerOptions { OutputDirectory = _output.Path }, TimeProvider.System, NullLoggerFactory.Instance))
            await server.StartAsync(CancellationToken.None);

        var sidecar = Sidecar.Read(json);
        Assert.False((bool)sidecar["complete"]!);
        Assert.Equal("recorder restarted", (string?)sidecar["reason"]);
        Assert.Equal(1.5, (double)sidecar["durationSeconds"]!);
        Assert.Equal(JTokenType.String, sidecar["stopTime"]!.Type);
        Assert.Equal(sidecar["stopTime"]!.ToString(), sidecar["pauses"]![0]!["end"]!.ToString());
        var audio = WavFile.Read(wav);
        Assert.Equal(2 * 8000 * 3 / 2, audio.Samples.Length);
        Assert.Equal(44 + (2 * 2 * 12000), new FileInfo(wav).Length);
        Assert.False(File.Exists(json + ".tmp"));
        Assert.Equal(finishedText, await File.ReadAllTextAsync(finished));
    }
}
