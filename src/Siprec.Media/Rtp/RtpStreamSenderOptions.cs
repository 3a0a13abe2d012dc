using Siprec.Media.Codecs;

namespace Siprec.Media.Rtp;

/// <summary>Settings of one <see cref="RtpStreamSender"/> stream (RFC 3550 §5.1, RFC 3551 §4.5.14).</summary>
/// <remarks>
/// Defaults: PCMU (payload type 0), a random SSRC per instance, 160 samples per packet at 8000 Hz,
/// i.e. one packet every 20 ms. Validated when the sender is constructed.
/// </remarks>
public sealed record RtpStreamSenderOptions
{
    /// <summary>Static payload type: <see cref="G711.PcmuPayloadType"/> (0) or <see cref="G711.PcmaPayloadType"/> (8).</summary>
    public byte PayloadType { get; init; } = G711.PcmuPayloadType;

    /// <summary>Synchronization source; random by default so two streams never collide (RFC 3550 §8.1).</summary>
    public uint Ssrc { get; init; } = (uint)Random.Shared.NextInt64(0, 1L << 32);

    /// <summary>Samples per packet; the timestamp advances by this much per packet. Default 160 (20 ms).</summary>
    public int SamplesPerPacket { get; init; } = 160;

    /// <summary>RTP clock and PCM sample rate in Hz. Default 8000 (G.711).</summary>
    public int SampleRate { get; init; } = 8000;

    /// <summary>Packet interval: <see cref="SamplesPerPacket"/> / <see cref="SampleRate"/> seconds.</summary>
    public TimeSpan PacketInterval => TimeSpan.FromTicks(SamplesPerPacket * TimeSpan.TicksPerSecond / SampleRate);

    /// <summary>Throws <see cref="ArgumentException"/> when a setting is out of range.</summary>
    /// <exception cref="ArgumentException">Payload type is not G.711, or the packet size or rate is not positive.</exception>
    public void Validate()
    {
        if (PayloadType is not (G711.PcmuPayloadType or G711.PcmaPayloadType))
            throw new ArgumentException($"payload type {PayloadType} is not G.711 (0 PCMU or 8 PCMA)", nameof(PayloadType));
        if (SampleRate <= 0)
            throw new ArgumentException($"sample rate {SampleRate} Hz must be positive", nameof(SampleRate));
        if (SamplesPerPacket <= 0 || SamplesPerPacket > 8000)
            throw new ArgumentException($"{SamplesPerPacket} samples per packet is outside 1..8000", nameof(SamplesPerPacket));
    }
}
