using System.Buffers;
using System.Globalization;
using System.Text;

namespace Siprec.Media.Rtpengine;

/// <summary>
/// The bencode encoding the rtpengine ng control protocol carries its messages in (BitTorrent BEP 3 §"bencoding"; rtpengine
/// <c>docs/ng_control_protocol.md</c>): integers <c>i42e</c>, byte strings <c>4:spam</c>, lists <c>l…e</c>, dictionaries
/// <c>d…e</c> with keys sorted as raw bytes. Values map to .NET as <see cref="long"/>, <see cref="string"/> (UTF-8; a
/// <see cref="byte"/>[] is also accepted when writing), <see cref="IReadOnlyList{T}"/> of <see cref="object"/> and
/// <see cref="IReadOnlyDictionary{TKey, TValue}"/> of <see cref="string"/> to <see cref="object"/>.
/// </summary>
/// <remarks>No maintained .NET bencode package is served by the registry here (docs/CONTRACTS.md, rtpengine section), so this is ours.</remarks>
public static class Bencode
{
    /// <summary>Deepest nesting accepted when reading; rtpengine's answers nest 6 levels (<c>query</c>), so 32 is ample and bounds the stack.</summary>
    public const int MaxDepth = 32;

    /// <summary>Encodes <paramref name="value"/> into <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">A value of a type bencode cannot carry (only integers, strings, bytes, lists and string-keyed dictionaries).</exception>
    public static void Write(IBufferWriter<byte> output, object value)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(value);
        switch (value)
        {
            case string text:
                WriteBytes(output, Encoding.UTF8.GetBytes(text));
                break;
            case byte[] bytes:
                WriteBytes(output, bytes);
                break;
            case int or long or uint or short:
                WriteAscii(output, "i" + Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "e");
                break;
            case IReadOnlyDictionary<string, object> dictionary:
                WriteAscii(output, "d");
                // BEP 3: keys sorted as raw strings (byte order), which ordinal UTF-16 order matches for the ASCII keys ng uses.
                foreach (var key in dictionary.Keys.Order(StringComparer.Ordinal))
                {
                    WriteBytes(output, Encoding.UTF8.GetBytes(key));
                    Write(output, dictionary[key]);
                }
                WriteAscii(output, "e");
                break;
            case System.Collections.IEnumerable list:
                WriteAscii(output, "l");
                foreach (var item in list)
                    Write(output, item ?? throw new ArgumentException("bencode has no null", nameof(value)));
                WriteAscii(output, "e");
                break;
            default:
                throw new ArgumentException($"bencode cannot carry a {value.GetType().Name}", nameof(value));
        }
    }

    /// <summary>Encodes <paramref name="value"/> to a new array.</summary>
    /// <exception cref="ArgumentException">See <see cref="Write"/>.</exception>
    public static byte[] Encode(object value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads exactly one value filling all of <paramref name="input"/>. Never throws on wire input: false with a reason
    /// and the byte offset in <paramref name="error"/> on a truncated, malformed, too deep or trailing-garbage input.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> input, out object? value, out string? error)
    {
        var offset = 0;
        value = ReadValue(input, ref offset, 0, out error);
        if (value is null)
            return false;
        if (offset != input.Length)
        {
            error = $"trailing bytes at offset {offset}";
            value = null;
            return false;
        }

        return true;
    }

    private static object? ReadValue(ReadOnlySpan<byte> input, ref int offset, int depth, out string? error)
    {
        error = null;
        if (depth > MaxDepth)
        {
            error = $"nested deeper than {MaxDepth} at offset {offset}";
            return null;
        }

        if (offset >= input.Length)
        {
            error = $"truncated at offset {offset}";
            return null;
        }

        switch (input[offset])
        {
            case (byte)'i':
                return ReadInteger(input, ref offset, out error);
            case (byte)'l':
                offset++;
                var list = new List<object>();
                while (offset < input.Length && input[offset] != 'e')
                {
                    if (ReadValue(input, ref offset, depth + 1, out error) is not { } item)
                        return null;
                    list.Add(item);
                }
                return Close(input, ref offset, list, out error);
            case (byte)'d':
                offset++;
                var dictionary = new Dictionary<string, object>(StringComparer.Ordinal);
                while (offset < input.Length && input[offset] != 'e')
                {
                    var keyAt = offset;
                    if (ReadString(input, ref offset, out error) is not { } key)
                        return null;
                    if (ReadValue(input, ref offset, depth + 1, out error) is not { } item)
                        return null;
                    if (!dictionary.TryAdd(key, item))
                    {
                        error = $"duplicate key '{key}' at offset {keyAt}";
                        return null;
                    }
                }
                return Close(input, ref offset, dictionary, out error);
            case >= (byte)'0' and <= (byte)'9':
                return ReadString(input, ref offset, out error);
            default:
                error = $"unexpected byte 0x{input[offset]:x2} at offset {offset}";
                return null;
        }
    }

    private static object? Close(ReadOnlySpan<byte> input, ref int offset, object value, out string? error)
    {
        if (offset >= input.Length)
        {
            error = $"truncated at offset {offset}: missing 'e'";
            return null;
        }

        offset++;
        error = null;
        return value;
    }

    private static object? ReadInteger(ReadOnlySpan<byte> input, ref int offset, out string? error)
    {
        var end = input[(offset + 1)..].IndexOf((byte)'e');
        var digits = end < 0 ? default : input.Slice(offset + 1, end);
        if (end <= 0 || !long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            error = $"bad integer at offset {offset}";
            return null;
        }

        offset += end + 2;
        error = null;
        return number;
    }

    private static string? ReadString(ReadOnlySpan<byte> input, ref int offset, out string? error)
    {
        var colon = input[offset..].IndexOf((byte)':');
        if (colon <= 0 || colon > 10 || !int.TryParse(input.Slice(offset, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            || length > input.Length - offset - colon - 1)
        {
            error = $"bad or truncated string at offset {offset}";
            return null;
        }

        var start = offset + colon + 1;
        offset = start + length;
        error = null;
        return Encoding.UTF8.GetString(input.Slice(start, length));
    }

    private static void WriteAscii(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length);
        var written = Encoding.ASCII.GetBytes(text, span);
        output.Advance(written);
    }

    private static void WriteBytes(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        WriteAscii(output, bytes.Length.ToString(CultureInfo.InvariantCulture) + ":");
        output.Write(bytes);
    }
}
