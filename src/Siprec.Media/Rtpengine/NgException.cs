namespace Siprec.Media.Rtpengine;

/// <summary>An ng command failed: the instance did not answer (<see cref="Unreachable"/>), or answered <c>result: error</c> with a reason.</summary>
public sealed class NgException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming the command and the instance.</param>
    /// <param name="unreachable">True when no answer came after every try (or no instance is up).</param>
    public NgException(string message, bool unreachable)
        : base(message)
    {
        Unreachable = unreachable;
    }

    /// <summary>Creates the exception for an instance that did not answer.</summary>
    public NgException()
        : this("rtpengine did not answer", true)
    {
    }

    /// <summary>Creates the exception for an instance that did not answer.</summary>
    public NgException(string message)
        : this(message, true)
    {
    }

    /// <summary>Creates the exception with the cause.</summary>
    public NgException(string message, Exception innerException)
        : base(message, innerException)
    {
        Unreachable = true;
    }

    /// <summary>True when the instance did not answer (or none is up); false when it answered with an error.</summary>
    public bool Unreachable { get; }
}
