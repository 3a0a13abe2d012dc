using System.Runtime.InteropServices;
using Siprec.Media.Srtp;

namespace Siprec.Media.Tests.Srtp;

/// <summary>
/// One libsrtp2 session (Debian's <c>libsrtp2-1</c>, API of srtp2/srtp.h 2.5) keyed with one master key, for interop
/// tests only: an outbound session protects, an inbound one unprotects. Product code never loads libsrtp.
/// </summary>
internal sealed class LibSrtp : IDisposable
{
    public const string Library = "libsrtp2.so.1";
    public const string Package = "libsrtp2-1";

    // srtp_ssrc_type_t: ssrc_any_inbound = 2, ssrc_any_outbound = 3.
    private const int SsrcAnyInbound = 2;
    private const int SsrcAnyOutbound = 3;

    // libsrtp may append up to SRTP_MAX_TRAILER_LEN (+4 for SRTCP) bytes past the packet it protects.
    private const int TrailerRoom = 256;

    private static readonly Lazy<int> Initialized = new(() => Native.srtp_init());

    private readonly IntPtr _session;
    private readonly IntPtr _key;

    /// <param name="key">The master key and salt.</param>
    /// <param name="suite">The SRTP suite; SRTCP always gets the default 80-bit tag (RFC 4568 §6.2), as libsrtp's profiles do.</param>
    /// <param name="outbound">True to protect, false to unprotect.</param>
    public LibSrtp(SrtpMasterKey key, SrtpCryptoSuite suite, bool outbound)
    {
        Check(Initialized.Value, "srtp_init");
        var policy = new Policy { SsrcType = outbound ? SsrcAnyOutbound : SsrcAnyInbound };
        if (suite == SrtpCryptoSuite.AesCm128HmacSha1_32) Native.srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(ref policy.Rtp);
        else Native.srtp_crypto_policy_set_rtp_default(ref policy.Rtp);
        Native.srtp_crypto_policy_set_rtcp_default(ref policy.Rtcp);
        _key = Marshal.AllocHGlobal(SrtpMasterKey.Length);
        Marshal.Copy(key.KeyAndSalt.ToArray(), 0, _key, SrtpMasterKey.Length);
        policy.Key = _key;
        Check(Native.srtp_create(out _session, ref policy), "srtp_create");
    }

    /// <summary>srtp_protect: the SRTP packet.</summary>
    public byte[] Protect(byte[] rtp) => Run(rtp, Native.srtp_protect, "srtp_protect");

    /// <summary>srtp_unprotect: the RTP packet.</summary>
    public byte[] Unprotect(byte[] srtp) => Run(srtp, Native.srtp_unprotect, "srtp_unprotect");

    /// <summary>srtp_protect_rtcp: the SRTCP packet.</summary>
    public byte[] ProtectRtcp(byte[] rtcp) => Run(rtcp, Native.srtp_protect_rtcp, "srtp_protect_rtcp");

    /// <summary>srtp_unprotect_rtcp: the RTCP packet, or the libsrtp error status (7 = auth_fail, 9/10 = replay).</summary>
    public int TryUnprotectRtcp(byte[] srtcp, out byte[] rtcp)
    {
        var buffer = new byte[srtcp.Length + TrailerRoom];
        srtcp.CopyTo(buffer, 0);
        int length = srtcp.Length;
        int status = Native.srtp_unprotect_rtcp(_session, buffer, ref length);
        rtcp = status == 0 ? buffer[..length] : [];
        return status;
    }

    public void Dispose()
    {
        Native.srtp_dealloc(_session);
        Marshal.FreeHGlobal(_key);
    }

    private byte[] Run(byte[] packet, Transform transform, string name)
    {
        var buffer = new byte[packet.Length + TrailerRoom];
        packet.CopyTo(buffer, 0);
        int length = packet.Length;
        Check(transform(_session, buffer, ref length), name);
        return buffer[..length];
    }

    private static void Check(int status, string function)
    {
        if (status != 0) throw new InvalidOperationException($"libsrtp {function} returned srtp_err_status_t {status}");
    }

    private delegate int Transform(IntPtr session, byte[] packet, ref int length);

    // srtp_crypto_policy_t: six 32-bit fields.
    [StructLayout(LayoutKind.Sequential)]
    private struct CryptoPolicy
    {
        public uint CipherType;
        public int CipherKeyLength;
        public uint AuthType;
        public int AuthKeyLength;
        public int AuthTagLength;
        public int SecurityServices;
    }

    // srtp_policy_t of libsrtp 2.5; natural alignment on 64-bit Linux gives the C layout (128 bytes).
    [StructLayout(LayoutKind.Sequential)]
    private struct Policy
    {
        public int SsrcType;
        public uint SsrcValue;
        public CryptoPolicy Rtp;
        public CryptoPolicy Rtcp;
        public IntPtr Key;
        public IntPtr Keys;
        public nuint NumMasterKeys;
        public IntPtr DeprecatedEkt;
        public nuint WindowSize;
        public int AllowRepeatTx;
        public IntPtr EncryptedHeaderExtensions;
        public int EncryptedHeaderExtensionCount;
        public IntPtr Next;
    }

    private static class Native
    {
        [DllImport(Library)] public static extern int srtp_init();
        [DllImport(Library)] public static extern void srtp_crypto_policy_set_rtp_default(ref CryptoPolicy policy);
        [DllImport(Library)] public static extern void srtp_crypto_policy_set_rtcp_default(ref CryptoPolicy policy);
        [DllImport(Library)] public static extern void srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(ref CryptoPolicy policy);
        [DllImport(Library)] public static extern int srtp_create(out IntPtr session, ref Policy policy);
        [DllImport(Library)] public static extern int srtp_dealloc(IntPtr session);
        [DllImport(Library)] public static extern int srtp_protect(IntPtr session, byte[] packet, ref int length);
        [DllImport(Library)] public static extern int srtp_unprotect(IntPtr session, byte[] packet, ref int length);
        [DllImport(Library)] public static extern int srtp_protect_rtcp(IntPtr session, byte[] packet, ref int length);
        [DllImport(Library)] public static extern int srtp_unprotect_rtcp(IntPtr session, byte[] packet, ref int length);
    }
}
