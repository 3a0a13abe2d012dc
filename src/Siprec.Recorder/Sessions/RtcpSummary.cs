namespace Siprec.Recorder.Sessions;

/// <summary>One stream's RTCP in the sidecar's <c>rtcp</c> object.</summary>
/// <param name="SenderReports">SRs received from the SRC.</param>
/// <param name="ReceiverReportsSent">RRs the SRS sent back (the last with a BYE).</param>
/// <param name="FractionLost">Fraction lost in the last RR sent, 0 to 255/256; null before the first.</param>
/// <param name="CumulativeLost">Packets lost since the stream's source began (RFC 3550 A.3, expected − received).</param>
/// <param name="JitterMs">Interarrival jitter in milliseconds (RFC 3550 A.8).</param>
/// <param name="Rejected">On an SRTP stream, datagrams on the RTCP port dropped unread: not SRTCP that authenticates with the SRC's key, or a replay (RFC 3711 §3.4); 0 for plain RTP.</param>
internal sealed record RtcpSummary(long SenderReports, long ReceiverReportsSent, double? FractionLost, int CumulativeLost, double JitterMs, long Rejected);
