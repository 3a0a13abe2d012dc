using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Siprec.Sip.Location;

/// <summary>
/// Builds RFC 1035 §4 queries and reads answers (SRV per RFC 2782, A, AAAA per RFC 3596), with name compression
/// (§4.1.4). Reading never throws: malformed input gives false and a reason.
/// </summary>
internal static class DnsMessage
{
    public const ushort TypeA = 1;
    public const ushort TypeSrv = 33;
    public const ushort TypeAaaa = 28;

    /// <summary>A recursive query (RD set) for <paramref name="name"/> of <paramref name="type"/>, class IN.</summary>
    /// <exception cref="ArgumentException">A label is empty or longer than 63 bytes, or the name is longer than 255.</exception>
    public static byte[] BuildQuery(ushort id, string name, ushort type)
    {
        var buffer = new List<byte>(32 + name.Length);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], 0x0100);
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1);
        buffer.AddRange(header.ToArray());
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            if (bytes.Length is 0 or > 63) throw new ArgumentException($"DNS name '{name}' has an empty or over-long label", nameof(name));
            buffer.Add((byte)bytes.Length);
            buffer.AddRange(bytes);
        }
        buffer.Add(0);
        if (buffer.Count - 12 > 255) throw new ArgumentException($"DNS name '{name}' is longer than 255 bytes", nameof(name));
        buffer.Add((byte)(type >> 8));
        buffer.Add((byte)type);
        buffer.Add(0);
        buffer.Add(1);
        return buffer.ToArray();
    }

    /// <summary>Reads a response to query <paramref name="id"/>: its RCODE, TC flag, SRV records and addresses.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, ushort id, out DnsAnswer answer, out string? error)
    {
        answer = new DnsAnswer(0, false, [], []);
        error = null;
        if (data.Length < 12) return Fail(out error, $"response of {data.Length} bytes is shorter than the 12-byte header");
        if (BinaryPrimitives.ReadUInt16BigEndian(data) != id) return Fail(out error, "response id does not match the query");
        var flags = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        if ((flags & 0x8000) == 0) return Fail(out error, "message is a query, not a response");
        var questions = BinaryPrimitives.ReadUInt16BigEndian(data[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(data[6..]);
        var offset = 12;
        for (var i = 0; i < questions; i++)
        {
            if (!TryReadName(data, ref offset, out _)) return Fail(out error, "malformed question name");
            offset += 4;
            if (offset > data.Length) return Fail(out error, "truncated question");
        }
        var srv = new List<SrvRecord>();
        var addresses = new List<IPAddress>();
        for (var i = 0; i < answers; i++)
        {
            if (!TryReadName(data, ref offset, out _)) return Fail(out error, $"malformed name in answer {i + 1}");
            if (offset + 10 > data.Length) return Fail(out error, $"truncated answer {i + 1}");
            var type = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 8)..]);
            offset += 10;
            if (offset + length > data.Length) return Fail(out error, $"answer {i + 1} data runs past the message");
            var rdata = data.Slice(offset, length);
            switch (type)
            {
                case TypeA when length == 4:
                    addresses.Add(new IPAddress(rdata));
                    break;
                case TypeAaaa when length == 16:
                    addresses.Add(new IPAddress(rdata));
                    break;
                case TypeSrv when length >= 7:
                    var targetOffset = offset + 6;
                    if (!TryReadName(data, ref targetOffset, out var target)) return Fail(out error, $"malformed SRV target in answer {i + 1}");
                    srv.Add(new SrvRecord(BinaryPrimitives.ReadUInt16BigEndian(rdata), BinaryPrimitives.ReadUInt16BigEndian(rdata[2..]),
                        BinaryPrimitives.ReadUInt16BigEndian(rdata[4..]), target.Length == 0 ? "." : target));
                    break;
            }
            offset += length;
        }
        answer = new DnsAnswer(flags & 0x000F, (flags & 0x0200) != 0, srv, addresses);
        return true;
    }

    private static bool TryReadName(ReadOnlySpan<byte> data, ref int offset, out string name)
    {
        var builder = new StringBuilder();
        var position = offset;
        var jumped = false;
        for (var hops = 0; hops < 128; hops++)
        {
            name = "";
            if (position >= data.Length) return false;
            var length = data[position];
            if ((length & 0xC0) == 0xC0)
            {
                if (position + 1 >= data.Length) return false;
                if (!jumped) offset = position + 2;
                jumped = true;
                position = ((length & 0x3F) << 8) | data[position + 1];
                continue;
            }
            if ((length & 0xC0) != 0) return false;
            if (length == 0)
            {
                if (!jumped) offset = position + 1;
                name = builder.ToString();
                return true;
            }
            if (position + 1 + length > data.Length) return false;
            if (builder.Length > 0) builder.Append('.');
            builder.Append(Encoding.ASCII.GetString(data.Slice(position + 1, length)));
            position += 1 + length;
        }
        name = "";
        return false;
    }

    private static bool Fail(out string? error, string text)
    {
        error = text;
        return false;
    }
}
