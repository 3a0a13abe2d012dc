using System.Collections.Concurrent;
using Siprec.Media.Wav;

namespace Siprec.Gateway.Twiml;

/// <summary>
/// The audio of <c>&lt;Play&gt;</c> and <c>&lt;Say&gt;</c> as 8 kHz mono samples: WAV files (16-bit PCM, any rate, the first
/// channel) from disk or http(s), and espeak-ng speech. A played source is kept for the gateway's life once read (an IVR
/// plays the same few prompts to every call); a failed read is not kept, so a fixed file is picked up by the next call.
/// </summary>
internal sealed class TwimlAudio
{
    private const int MaxCachedSources = 256;

    private readonly TwimlFetcher _fetcher;
    private readonly SpeechSynthesizer _speech;
    private readonly int _maxBytes;
    private readonly ConcurrentDictionary<Uri, short[]> _cache = new();

    /// <param name="fetcher">Reads files and URLs.</param>
    /// <param name="speech">espeak-ng.</param>
    /// <param name="maxBytes">Largest audio file read.</param>
    public TwimlAudio(TwimlFetcher fetcher, SpeechSynthesizer speech, int maxBytes)
    {
        _fetcher = fetcher;
        _speech = speech;
        _maxBytes = maxBytes;
    }

    /// <summary>Whether <c>&lt;Say&gt;</c> can be spoken.</summary>
    public bool SpeechAvailable => _speech.IsAvailable;

    /// <summary>A WAV file's samples at 8 kHz.</summary>
    /// <exception cref="InvalidDataException">Unreadable, not found, too large, or not 16-bit PCM WAV (the message names the source).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<short[]> LoadAsync(Uri source, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(source, out var cached)) return cached;
        var (bytes, error) = await _fetcher.FetchBytesAsync(source, _maxBytes, cancellationToken).ConfigureAwait(false);
        if (bytes is null) throw new InvalidDataException(error);
        WavAudio audio;
        try
        {
            audio = WavFile.Read(new MemoryStream(bytes, writable: false));
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{(source.IsFile ? source.LocalPath : source.ToString())}: {ex.Message}", ex);
        }
        var samples = AudioResampler.ToCallRate(audio.Channels == 1 ? audio.Samples : audio.GetChannel(0), audio.SampleRate);
        return _cache.Count < MaxCachedSources ? _cache.GetOrAdd(source, samples) : samples;
    }

    /// <summary>Speech for a <c>&lt;Say&gt;</c> at 8 kHz.</summary>
    /// <exception cref="InvalidOperationException">espeak-ng is missing or failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<short[]> SpeakAsync(SayVerb say, CancellationToken cancellationToken) =>
        _speech.SpeakAsync(say.Text, say.Voice, say.Language, cancellationToken);
}
