using System.Net;

namespace Siprec.Sip.Location;

/// <summary>What a DNS response said (RFC 1035 §4.1.1): the response code, the truncation flag and the records used here.</summary>
/// <param name="ResponseCode">RCODE: 0 no error, 2 server failure, 3 name error (NXDOMAIN).</param>
/// <param name="Truncated">TC: the answer did not fit a UDP datagram; ask again over TCP.</param>
/// <param name="Services">SRV records in the answer section.</param>
/// <param name="Addresses">A and AAAA addresses in the answer section.</param>
internal sealed record DnsAnswer(int ResponseCode, bool Truncated, IReadOnlyList<SrvRecord> Services, IReadOnlyList<IPAddress> Addresses);
