using Siprec.Media.Forwarding;

namespace Siprec.Recording;

/// <summary>
/// What one recorder says it receives of one forked stream (RFC 3550 §6.4.1 receiver report about the SRC's SSRC), with
/// what the SRC sent it: the only first-hand proof that the recorder is receiving (issue 11).
/// </summary>
/// <param name="SrsUri">The recorder's SRS URI as requested.</param>
/// <param name="Label">The stream's label (RFC 7866 §8.1.1; <c>1</c> caller, <c>2</c> bot).</param>
/// <param name="PacketsSent">RTP packets the SRC forwarded to this recorder on this stream.</param>
/// <param name="Report">The recorder's latest report (loss, jitter in ms, round trip); null before its first, or when it sends no RTCP (on an SRTP stream: no SRTCP that authenticates with its key).</param>
public sealed record RecorderStreamReport(string SrsUri, string Label, long PacketsSent, RecorderReport? Report);
