using System.Globalization;

namespace Siprec.Recorder.Sessions;

/// <summary>
/// Why the SRS itself ends a recording session: the cause and text of its BYE's <c>Reason</c> header (RFC 3326 §2, protocol
/// <c>SIP</c>), and the <c>reason</c> its final sidecar records.
/// </summary>
/// <param name="Cause">The status code the Reason names (e.g. 408 for an SRC that went silent, 507 for a storage failure).</param>
/// <param name="Text">Short words for the operator and the SRC, e.g. <c>storage full</c>.</param>
internal sealed record SessionEnd(int Cause, string Text)
{
    // errno ENOSPC (Linux, as .NET reports it in HResult) and Windows' ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL.
    private const int Enospc = 28;
    private const int ErrorDiskFull = unchecked((int)0x80070070);
    private const int ErrorHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>The SRC never ACKed the 200 OK (RFC 3261 §13.3.1.4).</summary>
    public static SessionEnd AckMissing { get; } = new(408, "no ACK");

    /// <summary>The SRC did not refresh the session in time (RFC 4028 §10).</summary>
    public static SessionEnd SessionExpired { get; } = new(408, "session timer expired");

    /// <summary>The SRS is stopping.</summary>
    public static SessionEnd Shutdown { get; } = new(503, "recording server shutting down");

    /// <summary>The SRC sent no RTP on any stream for <paramref name="timeout"/> while not paused.</summary>
    public static SessionEnd MediaTimeout(TimeSpan timeout) =>
        new(408, $"no RTP for {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s");

    /// <summary>Writing the WAV or the sidecar failed: <c>storage full</c> for ENOSPC, otherwise <c>storage error</c> (EIO and the like).</summary>
    public static SessionEnd StorageFailed(Exception error) =>
        new(507, error.HResult is Enospc or ErrorDiskFull or ErrorHandleDiskFull ? "storage full" : "storage error");

    /// <summary>The value of the BYE's Reason header: <c>SIP ;cause=507 ;text="storage full"</c>.</summary>
    public string ReasonHeader => $"SIP ;cause={Cause.ToString(CultureInfo.InvariantCulture)} ;text=\"{Text.Replace('"', '\'')}\"";
}
