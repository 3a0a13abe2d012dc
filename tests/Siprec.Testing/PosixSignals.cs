namespace Siprec.Testing;

/// <summary>The Linux signal numbers fault tests send to peer processes (signal(7)).</summary>
public static class PosixSignals
{
    /// <summary>SIGINT: interrupt; tshark and the siprec command shut down cleanly.</summary>
    public const int Interrupt = 2;

    /// <summary>SIGKILL: the process dies at once, as in a crash or an OOM kill; sockets close, nothing is flushed.</summary>
    public const int Kill = 9;

    /// <summary>SIGTERM: what an orchestrator sends to stop a service; <c>siprec gateway</c> drains on the first, stops on the second.</summary>
    public const int Terminate = 15;

    /// <summary>SIGCONT: a stopped process runs again.</summary>
    public const int Continue = 18;

    /// <summary>SIGSTOP: the process stops (a stalled recorder); its sockets stay open and queue what arrives.</summary>
    public const int Stop = 19;
}
