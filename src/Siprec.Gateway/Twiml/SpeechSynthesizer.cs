using System.ComponentModel;
using System.Diagnostics;
using Siprec.Media.Wav;

namespace Siprec.Gateway.Twiml;

/// <summary>
/// Speaks <c>&lt;Say&gt;</c> text with espeak-ng (a Debian package; nothing is downloaded): the text goes on stdin (never on
/// the command line, so a text starting with "-" is not an option), the WAV into a temporary file that is deleted after,
/// and the 22.05 kHz speech is resampled to the call's 8 kHz.
/// </summary>
internal sealed class SpeechSynthesizer
{
    /// <summary>The program's name.</summary>
    public const string Program = "espeak-ng";

    private readonly string? _path;
    private readonly TimeSpan _timeout;

    /// <param name="timeout">Longest one synthesis may take.</param>
    /// <param name="path">espeak-ng's path; null looks it up on PATH.</param>
    public SpeechSynthesizer(TimeSpan timeout, string? path = null)
    {
        _timeout = timeout;
        _path = path ?? Find();
    }

    /// <summary>Whether espeak-ng is installed (found on PATH).</summary>
    public bool IsAvailable => _path is not null;

    /// <summary>The speech at 8 kHz.</summary>
    /// <exception cref="InvalidOperationException">espeak-ng is missing, failed or took too long (the message says which).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<short[]> SpeakAsync(string text, string? voice, string? language, CancellationToken cancellationToken)
    {
        if (_path is null) throw new InvalidOperationException($"{Program} is not installed");
        var wav = Path.Combine(Path.GetTempPath(), "siprec-say-" + Guid.NewGuid().ToString("N") + ".wav");
        var start = new ProcessStartInfo(_path)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-w", wav, "-v", VoiceOf(voice, language), "--stdin" }) start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Program} did not start");
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(_timeout);
            try
            {
                await process.StandardInput.WriteAsync(text.AsMemory(), bounded.Token).ConfigureAwait(false);
                process.StandardInput.Close();
                var errors = process.StandardError.ReadToEndAsync(bounded.Token);
                await process.WaitForExitAsync(bounded.Token).ConfigureAwait(false);
                if (process.ExitCode != 0)
                    throw new InvalidOperationException($"{Program} exited with {process.ExitCode}: {(await errors.ConfigureAwait(false)).Trim()}");
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                throw new InvalidOperationException($"{Program} did not finish within {_timeout.TotalSeconds:0} s");
            }
            var audio = WavFile.Read(wav);
            return AudioResampler.ToCallRate(audio.Channels == 1 ? audio.Samples : audio.GetChannel(0), audio.SampleRate);
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"{Program} cannot run: {ex.Message}", ex);
        }
        finally
        {
            File.Delete(wav);
        }
    }

    // espeak-ng voices are language tags in lower case ("en-us"); "+f3" is a female variant. Twilio's voice names say a
    // gender at most ("woman", "alice", Polly's female voices are unknown here, so they get the default).
    private static string VoiceOf(string? voice, string? language)
    {
        var name = string.IsNullOrWhiteSpace(language) ? "en" : language.Trim().ToLowerInvariant();
        if (name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-'))) name = "en";
        return voice?.Trim().ToLowerInvariant() is "woman" or "alice" ? name + "+f3" : name;
    }

    private static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, Program))
            .FirstOrDefault(File.Exists);
}
