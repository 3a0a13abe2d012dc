using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Siprec.Media.Srtp;

/// <summary>
/// AES in counter mode as SRTP defines it (RFC 3711 §4.1.1): keystream block j is AES(key, IV + j), the
/// block counter in the low 16 bits of the IV, which the caller leaves zero. .NET has no CTR mode, so
/// counter blocks are built in a stack buffer and encrypted in one ECB call per chunk.
/// </summary>
internal static class AesCounterMode
{
    private const int BlockSize = 16;
    private const int ChunkBlocks = 64;

    /// <summary>XORs <paramref name="data"/> in place with the keystream that starts at <paramref name="iv"/>.</summary>
    /// <param name="aes">An AES instance holding the session (or master) key; used under the caller's lock.</param>
    /// <param name="iv">16 bytes whose last two are zero (§4.1.1: at most 2^16 blocks per packet).</param>
    /// <param name="data">Plaintext to encrypt or ciphertext to decrypt.</param>
    public static void Transform(Aes aes, ReadOnlySpan<byte> iv, Span<byte> data)
    {
        Span<byte> counters = stackalloc byte[ChunkBlocks * BlockSize];
        Span<byte> keystream = stackalloc byte[ChunkBlocks * BlockSize];
        int block = 0;
        while (!data.IsEmpty)
        {
            int bytes = Math.Min(data.Length, counters.Length);
            int blocks = (bytes + BlockSize - 1) / BlockSize;
            for (int i = 0; i < blocks; i++)
            {
                var counter = counters.Slice(i * BlockSize, BlockSize);
                iv.CopyTo(counter);
                ushort low = BinaryPrimitives.ReadUInt16BigEndian(counter[14..]);
                BinaryPrimitives.WriteUInt16BigEndian(counter[14..], (ushort)(low + block + i));
            }
            aes.EncryptEcb(counters[..(blocks * BlockSize)], keystream, PaddingMode.None);
            for (int i = 0; i < bytes; i++) data[i] ^= keystream[i];
            data = data[bytes..];
            block += blocks;
        }
        CryptographicOperations.ZeroMemory(keystream);
    }
}
