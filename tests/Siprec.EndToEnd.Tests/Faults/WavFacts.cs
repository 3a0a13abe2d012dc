using System.Buffers.Binary;
using System.Globalization;
using Siprec.Testing;

namespace Siprec.EndToEnd.Tests.Faults;

/// <summary>
/// What a recording's WAV says about itself, read the way an operator would check it: its canonical header (channels, sample
/// rate, data size), the file's length, and the sample count a standard reader reports (<c>soxi -s</c>, from the sox package).
/// </summary>
/// <param name="FileBytes">Length of the file.</param>
/// <param name="DataBytes">The data chunk size the header states.</param>
/// <param name="Channels">Channels in the fmt chunk.</param>
/// <param name="SampleRate">Sample rate in Hz in the fmt chunk.</param>
/// <param name="SoxiSamples">Samples per channel as <c>soxi -s</c> reads them.</param>
internal sealed record WavFacts(long FileBytes, long DataBytes, int Channels, int SampleRate, long SoxiSamples)
{
    private static readonly TimeSpan SoxiLimit = TimeSpan.FromSeconds(30);

    /// <summary>Frames the header counts.</summary>
    public long Frames => DataBytes / (2 * Channels);

    /// <summary>Seconds the header counts.</summary>
    public double Seconds => (double)Frames / SampleRate;

    /// <summary>True when the header's sizes describe exactly the bytes in the file (44-byte header + data).</summary>
    public bool HeaderMatchesFile => FileBytes == 44 + DataBytes;

    /// <summary>Reads <paramref name="wav"/>'s header and runs <c>soxi -s</c> on it.</summary>
    /// <exception cref="InvalidOperationException">soxi failed or printed no number; the message has its output.</exception>
    public static async Task<WavFacts> ReadAsync(string wav)
    {
        var header = new byte[44];
        long length;
        await using (var file = new FileStream(wav, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            length = file.Length;
            await file.ReadExactlyAsync(header);
        }
        using var soxi = PeerProcess.Start(Siprec.Testing.Peers.Require("soxi"), ["-s", wav]);
        if (!await soxi.WaitForExitAsync(SoxiLimit) || soxi.ExitCode != 0
            || !long.TryParse(soxi.StandardOutput.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var samples))
            throw new InvalidOperationException($"soxi -s {wav} failed: {soxi.StandardOutput}{soxi.StandardError}");
        return new WavFacts(length, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(40)), BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(22)),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(24)), samples);
    }
}
