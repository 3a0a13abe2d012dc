using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Siprec.Media.Rtp;
using Siprec.Testing;

namespace Siprec.Recorder.Tests.Support;

/// <summary>
/// A RecordingServer on 127.0.0.1 driven by a manual clock, a test SRC peer, and two RTP sockets the test sends its
/// two streams from; everything is disposed together.
/// </summary>
internal sealed class LoopbackSrs : IAsyncDisposable
{
    private LoopbackSrs(TempDirectory output, ManualTimeProvider clock, RecordingServer server, SrcPeer src, RtpSocket rtp1, RtpSocket rtp2)
    {
        Output = output;
        Clock = clock;
        Server = server;
        Src = src;
        Rtp1 = rtp1;
        Rtp2 = rtp2;
    }

    public TempDirectory Output { get; }

    public ManualTimeProvider Clock { get; }

    public RecordingServer Server { get; }

    public SrcPeer Src { get; }

    public RtpSocket Rtp1 { get; }

    public RtpSocket Rtp2 { get; }

    public static async Task<LoopbackSrs> StartAsync()
    {
        var output = new TempDirectory();
        var clock = new ManualTimeProvider();
        var server = new RecordingServer(new RecordingServerOptions { OutputDirectory = output.Path }, clock, NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        return new LoopbackSrs(output, clock, server, SrcPeer.Start(), RtpSocket.Bind(IPAddress.Loopback), RtpSocket.Bind(IPAddress.Loopback));
    }

    /// <summary>Completes with the next session the server finishes.</summary>
    public Task<RecordedSessionSummary> NextCompletedSession() => NextCompletedSession(Server);

    /// <summary>Completes with the next session <paramref name="server"/> finishes.</summary>
    public static Task<RecordedSessionSummary> NextCompletedSession(RecordingServer server)
    {
        var completed = new TaskCompletionSource<RecordedSessionSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.SessionCompleted += s => completed.TrySetResult(s);
        return completed.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await Rtp1.DisposeAsync();
        await Rtp2.DisposeAsync();
        await Server.DisposeAsync();
        await Src.DisposeAsync();
        Output.Dispose();
    }
}
