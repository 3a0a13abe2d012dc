using System.Buffers;
using BenchmarkDotNet.Attributes;
using Siprec.Sip.Messages;

namespace Siprec.Benchmarks;

/// <summary>Parse and serialize the two messages every recording exchanges (issue 3 targets: ≥ 500k parses/s/core, &lt; 2 KB allocated per message).</summary>
[MemoryDiagnoser]
public class SipMessageBenchmarks
{
    private SipRequest _invite = null!;
    private SipResponse _ok = null!;
    private byte[] _inviteBytes = null!;
    private byte[] _okBytes = null!;
    private ReadOnlyMemory<byte> _inviteMemory;
    private ReadOnlyMemory<byte> _okMemory;
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(8192);

    [GlobalSetup]
    public void Setup()
    {
        _invite = SiprecMessages.Invite();
        _ok = SiprecMessages.Ok(_invite);
        _inviteBytes = SipSerializer.Serialize(_invite);
        _okBytes = SipSerializer.Serialize(_ok);
        _inviteMemory = _inviteBytes;
        _okMemory = _okBytes;
        if (!SipParser.TryParse(_inviteBytes, out _, out var e1) || !SipParser.TryParse(_okBytes, out _, out var e2))
        {
            throw new InvalidOperationException("benchmark messages do not parse");
        }
        Console.WriteLine($"// INVITE {_inviteBytes.Length} bytes, 200 OK {_okBytes.Length} bytes");
    }

    /// <summary>The zero-copy overload: the body is a slice of the receive buffer (the receive path's case).</summary>
    [Benchmark]
    public SipMessage? ParseInvite() => SipParser.TryParse(_inviteMemory, out var message, out _) ? message : null;

    [Benchmark]
    public SipMessage? ParseOk() => SipParser.TryParse(_okMemory, out var message, out _) ? message : null;

    /// <summary>The span overload, which copies the body so the caller may reuse its buffer.</summary>
    [Benchmark]
    public SipMessage? ParseInviteCopyingBody() => SipParser.TryParse(_inviteBytes.AsSpan(), out var message, out _) ? message : null;

    /// <summary>The span overload for the 200 OK.</summary>
    [Benchmark]
    public SipMessage? ParseOkCopyingBody() => SipParser.TryParse(_okBytes.AsSpan(), out var message, out _) ? message : null;

    [Benchmark]
    public byte[] SerializeInvite() => SipSerializer.Serialize(_invite);

    [Benchmark]
    public byte[] SerializeOk() => SipSerializer.Serialize(_ok);

    /// <summary>Into a reused send buffer (a one-shot send): no array per message.</summary>
    [Benchmark]
    public int SerializeInviteIntoBuffer()
    {
        _sendBuffer.ResetWrittenCount();
        return SipSerializer.Serialize(_invite, _sendBuffer);
    }

    /// <summary>The 200 OK into the reused send buffer.</summary>
    [Benchmark]
    public int SerializeOkIntoBuffer()
    {
        _sendBuffer.ResetWrittenCount();
        return SipSerializer.Serialize(_ok, _sendBuffer);
    }
}
