using System.Collections.Concurrent;
using Siprec.Media.Wav;

namespace Siprec.Gateway.Calls;

/// <summary>
/// The bot's prompts: the prompt "welcome" is <c>&lt;dir&gt;/prompt-welcome.wav</c>, 8 kHz 16-bit PCM (the first
/// channel of a multi-channel file). Each file is read once and shared by every call; a failed read is not cached,
/// so a fixed file is picked up by the next call.
/// </summary>
internal sealed class PromptLibrary
{
    /// <summary>The only sample rate a PCMU call can play without resampling.</summary>
    public const int SampleRate = 8000;

    private readonly string _directory;
    private readonly ConcurrentDictionary<string, short[]> _cache = new(StringComparer.Ordinal);

    /// <param name="directory">The folder holding <c>prompt-*.wav</c>.</param>
    public PromptLibrary(string directory) => _directory = directory;

    /// <summary>The path a prompt name maps to.</summary>
    /// <exception cref="ArgumentException">The name is empty or could leave the folder (path separators, "..").</exception>
    public string PathOf(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains("..", StringComparison.Ordinal)
            || name.IndexOfAny([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar, ':']) >= 0
            || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ArgumentException($"prompt name '{name}' is not a plain file name part", nameof(name));
        }
        return Path.Combine(_directory, "prompt-" + name + ".wav");
    }

    /// <summary>The prompt's 8 kHz mono samples.</summary>
    /// <exception cref="ArgumentException">The name is not a plain name.</exception>
    /// <exception cref="FileNotFoundException">No such prompt file; the message names the path.</exception>
    /// <exception cref="InvalidDataException">The file is not 16-bit PCM at 8 kHz.</exception>
    public short[] Get(string name)
    {
        if (_cache.TryGetValue(name, out var cached))
        {
            return cached;
        }
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"prompt '{name}' not found: {path}", path);
        }
        var audio = WavFile.Read(path);
        if (audio.SampleRate != SampleRate)
        {
            throw new InvalidDataException($"prompt '{name}' ({path}) is {audio.SampleRate} Hz; calls play 8000 Hz PCM only");
        }
        var samples = audio.Channels == 1 ? audio.Samples : audio.GetChannel(0);
        return _cache.GetOrAdd(name, samples);
    }
}
