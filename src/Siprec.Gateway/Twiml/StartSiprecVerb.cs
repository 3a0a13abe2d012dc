using Siprec.Control;

namespace Siprec.Gateway.Twiml;

/// <summary>
/// <c>&lt;Start&gt;&lt;Siprec …&gt;&lt;Parameter name value/&gt;…&lt;/Siprec&gt;&lt;/Start&gt;</c>: its attributes read exactly as the
/// REST create's form fields (<see cref="RestRecordingRequest"/>), so both entry points validate and map them alike.
/// </summary>
/// <param name="Line">The line of the <c>&lt;Siprec&gt;</c> element.</param>
/// <param name="Create">The session to create.</param>
internal sealed record StartSiprecVerb(int Line, RestRecordingRequest Create) : TwimlVerb(Line);
