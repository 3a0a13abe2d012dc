namespace Siprec.Sip.Messages;

/// <summary>Non-destructive header and body edits; each returns a modified copy of the message.</summary>
public static class SipMessageExtensions
{
    /// <summary>A copy with header <paramref name="name"/>: <paramref name="value"/> appended after all others.</summary>
    public static T AddHeader<T>(this T message, string name, string value) where T : SipMessage
    {
        var headers = new List<SipHeader>(message.Headers) { new(name, value) };
        return (T)((SipMessage)message with { Headers = headers });
    }

    /// <summary>
    /// A copy where every <paramref name="name"/> header (long or compact form) is replaced by one with
    /// <paramref name="value"/>, at the first one's position, else appended.
    /// </summary>
    public static T SetHeader<T>(this T message, string name, string value) where T : SipMessage
    {
        var headers = new List<SipHeader>(message.Headers.Count + 1);
        var placed = false;
        foreach (var header in message.Headers)
        {
            if (!HeaderNames.Matches(header.Name, name)) headers.Add(header);
            else if (!placed)
            {
                headers.Add(new SipHeader(name, value));
                placed = true;
            }
        }
        if (!placed) headers.Add(new SipHeader(name, value));
        return (T)((SipMessage)message with { Headers = headers });
    }

    /// <summary>A copy without any <paramref name="name"/> header (long or compact form).</summary>
    public static T RemoveHeader<T>(this T message, string name) where T : SipMessage
    {
        var headers = new List<SipHeader>(message.Headers.Count);
        foreach (var header in message.Headers)
        {
            if (!HeaderNames.Matches(header.Name, name)) headers.Add(header);
        }
        return (T)((SipMessage)message with { Headers = headers });
    }

    /// <summary>A copy carrying <paramref name="body"/> (byte-exact) with Content-Type <paramref name="contentType"/>.</summary>
    public static T WithBody<T>(this T message, string contentType, ReadOnlyMemory<byte> body) where T : SipMessage =>
        (T)((SipMessage)message.SetHeader("Content-Type", contentType) with { Body = body });

    /// <summary>A copy with an empty body and no Content-Type.</summary>
    public static T WithoutBody<T>(this T message) where T : SipMessage =>
        (T)((SipMessage)message.RemoveHeader("Content-Type") with { Body = ReadOnlyMemory<byte>.Empty });
}
