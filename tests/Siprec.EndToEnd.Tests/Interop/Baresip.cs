using System.Globalization;
using Siprec.EndToEnd.Tests.Peers;
using Siprec.Media.Codecs;
using Siprec.Media.Wav;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Interop;

/// <summary>
/// Debian's baresip (1.0) as a real user agent, headless, with its own configuration folder under the test's folder:
/// SIP on one 127.0.0.1 port, PCMU only, the audio source a WAV file (<c>aufile</c>), and what it receives written to
/// a WAV by the <c>sndfile</c> filter (<c>dump-…-dec.wav</c>: the decoded audio as it leaves the jitter buffer, before
/// any player). Its one account sends every request through an outbound proxy. It dials at start-up (<c>-e</c>) and
/// quits by itself after a bound (<c>-t</c>); it is stopped by its own PID.
/// </summary>
internal sealed class Baresip : IAsyncDisposable
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(10);
    private readonly PeerProcess _process;

    private Baresip(PeerProcess process, string directory)
    {
        _process = process;
        Directory = directory;
    }

    /// <summary>The configuration folder (also where the received audio is dumped).</summary>
    public string Directory { get; }

    /// <summary>What baresip printed so far (stdout and stderr), without its once-a-frame call status line.</summary>
    public string Output =>
        string.Join("\n", $"{_process.StandardOutput}\n{_process.StandardError}".Split('\n')
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.Contains("audio=", StringComparison.Ordinal)));

    /// <summary>True once baresip has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Writes the configuration and starts baresip dialing <paramref name="target"/> through the outbound proxy
    /// <paramref name="outboundProxy"/>, talking <paramref name="source"/> (8 kHz mono 16-bit).
    /// </summary>
    /// <param name="workDirectory">The test's folder; baresip's configuration folder is created in it.</param>
    /// <param name="target">The Request-URI to dial, e.g. <c>sip:bot@127.0.0.1:5070</c>.</param>
    /// <param name="outboundProxy">Where every request goes first, e.g. <c>sip:127.0.0.1:5060;lr</c>.</param>
    /// <param name="source">The WAV baresip sends; it ends the call when the file ends, so make it longer than the call.</param>
    /// <param name="quitAfter">baresip quits by itself after this long, whatever happens.</param>
    public static Baresip Start(string workDirectory, string target, string outboundProxy, string source, TimeSpan quitAfter)
    {
        var program = Siprec.Testing.Peers.Require("baresip");
        var directory = System.IO.Directory.CreateDirectory(Path.Combine(workDirectory, "baresip")).FullName;
        var sipPort = FreePorts.UdpAndTcp();
        File.WriteAllText(Path.Combine(directory, "config"), string.Join('\n',
            "poll_method epoll",
            $"sip_listen 127.0.0.1:{sipPort.ToString(CultureInfo.InvariantCulture)}",
            "call_local_timeout 30",
            "call_max_calls 1",
            $"audio_source aufile,{source}",
            "audio_player aubridge,null",
            "audio_alert aubridge,null",
            "ausrc_srate 8000",
            "ausrc_channels 1",
            "auplay_srate 8000",
            "auplay_channels 1",
            "audio_level no",
            "rtcp_mux no",
            "jitter_buffer_delay 5-10",
            "rtp_stats no",
            "module_path /usr/lib/baresip/modules",
            "module g711.so",
            "module aufile.so",
            "module aubridge.so",
            "module sndfile.so",
            "module_tmp account.so",
            "module_app menu.so",
            $"snd_path {directory}",
            ""));
        File.WriteAllText(Path.Combine(directory, "accounts"),
            $"<sip:caller@127.0.0.1:{sipPort.ToString(CultureInfo.InvariantCulture)}>;regint=0;audio_codecs=pcmu;outbound=\"{outboundProxy}\"\n");
        var seconds = ((int)Math.Ceiling(quitAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var process = PeerProcess.Start(program, ["-f", directory, "-t", seconds, "-e", $"/dial {target}"], directory);
        return new Baresip(process, directory);
    }

    /// <summary>The audio baresip received and decoded on its call, or null when the dump was not written.</summary>
    public WavAudio? ReceivedAudio()
    {
        var dump = System.IO.Directory.GetFiles(Directory, "dump-*-dec.wav").FirstOrDefault();
        return dump is null ? null : WavFile.Read(dump);
    }

    /// <summary>
    /// What baresip's PCMU decoder makes of <paramref name="pcm"/> sent as μ-law: the G.711 round trip, except that
    /// libre's table (<c>g711_u2l</c> in librem) decodes the two zero codes 0xFF and 0x7F to +2 and −2 where G.711 gives 0
    /// (checked against Debian's librem.so.0: those are its only two entries that differ from G.711).
    /// </summary>
    public static short[] AsDecodedByBaresip(short[] pcm)
    {
        var ulaw = new byte[pcm.Length];
        G711.EncodeMuLaw(pcm, ulaw);
        var decoded = new short[pcm.Length];
        G711.DecodeMuLaw(ulaw, decoded);
        for (var i = 0; i < ulaw.Length; i++)
        {
            if (ulaw[i] == 0xFF) decoded[i] = 2;
            else if (ulaw[i] == 0x7F) decoded[i] = -2;
        }
        return decoded;
    }

    /// <summary>Stops baresip by its PID (SIGINT: it ends its calls and closes the dumps), bounded by 10 s; false when it still runs.</summary>
    public Task<bool> StopAsync() => _process.InterruptAsync(StopLimit);

    /// <summary>Stops baresip if it still runs (SIGINT, then kill by PID).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}
