namespace Siprec.Recording.MediaEngines;

/// <summary>The media engine could not do what a recorder needs (rtpengine did not answer, or refused); the operator sees <c>media-engine-failed</c>.</summary>
public sealed class MediaEngineException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MediaEngineException()
        : base("media-engine-failed")
    {
    }

    /// <summary>Creates the exception with what failed.</summary>
    public MediaEngineException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with what failed and why.</summary>
    public MediaEngineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
