using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Siprec.Control;

/// <summary>
/// The same request as the INFO, expressed as the jambonz verb
/// <c>{"verb":"config","record":{"action":…,"siprecServerURL":"…"|[…],"recordingID":"…","headers":{…}}}</c>;
/// DESIGN §4.1.
/// </summary>
public static class JambonzRecordVerb
{
    /// <summary>
    /// Builds the verb. <c>siprecServerURL</c> is a string for one SRS and an array for several;
    /// <c>recordingID</c> and <c>headers</c> are omitted when empty. SIDs are not part of the verb.
    /// </summary>
    public static JObject ToVerb(RecordingControlRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var record = new JObject { ["action"] = RecordingActionNames.ToName(request.Action) };
        if (request.Action == RecordingAction.Start && request.SrsUris.Count > 0)
        {
            record["siprecServerURL"] = request.SrsUris.Count == 1 ? new JValue(request.SrsUris[0]) : new JArray(request.SrsUris);
        }
        if (request.Action == RecordingAction.Start && !string.IsNullOrWhiteSpace(request.RecordingId))
        {
            record["recordingID"] = request.RecordingId.Trim();
        }
        if (request.CustomHeaders.Count > 0) record["headers"] = CustomHeaders.ToJson(request.CustomHeaders);
        return new JObject { ["verb"] = "config", ["record"] = record };
    }

    /// <summary>The verb as compact JSON text.</summary>
    public static string ToJson(RecordingControlRequest request) => ToVerb(request).ToString(Formatting.None);

    /// <summary>
    /// Reads a verb from JSON text. Never throws on the text; errors carry DESIGN §4.2 codes and texts
    /// (the SRS list is validated exactly like <c>X-Srs-Url</c>).
    /// </summary>
    public static bool TryParse(string? json, int maxRecorders, out RecordingControlRequest? request, out RecordingControlError? error)
    {
        request = null;
        JToken token;
        try
        {
            using var reader = new JsonTextReader(new StringReader(json ?? string.Empty)) { DateParseHandling = DateParseHandling.None, MaxDepth = 16 };
            token = JToken.ReadFrom(reader);
        }
        catch (JsonException)
        {
            error = new RecordingControlError(400, RecordingErrorTexts.InvalidJsonBody);
            return false;
        }
        return TryParse(token, maxRecorders, out request, out error);
    }

    /// <summary>Reads a verb already parsed as JSON; never throws on its content.</summary>
    public static bool TryParse(JToken verb, int maxRecorders, out RecordingControlRequest? request, out RecordingControlError? error)
    {
        ArgumentNullException.ThrowIfNull(verb);
        request = null;
        if (verb is not JObject obj || (string?)(obj["verb"] as JValue) != "config")
        {
            error = new RecordingControlError(400, RecordingErrorTexts.InvalidVerb("verb must be \"config\""));
            return false;
        }
        if (obj["record"] is not JObject record)
        {
            error = new RecordingControlError(400, RecordingErrorTexts.InvalidVerb("missing record object"));
            return false;
        }
        var actionName = record["action"] is JValue { Type: JTokenType.String } a ? (string?)a : null;
        if (!RecordingActionNames.TryParse(actionName, out var action))
        {
            error = new RecordingControlError(400, RecordingErrorTexts.UnknownReason(actionName ?? "(missing action)"));
            return false;
        }

        IReadOnlyList<string> uris = [];
        if (action == RecordingAction.Start)
        {
            if (!TryReadServers(record["siprecServerURL"], out var list, out error)) return false;
            if (!SrsUriList.TryParse(list, maxRecorders, out uris, out error)) return false;
        }

        IReadOnlyDictionary<string, string> headers = new Dictionary<string, string>();
        if (record["headers"] is { Type: not JTokenType.Null } headerToken && !CustomHeaders.TryRead(headerToken, out headers, out error))
        {
            return false;
        }

        var recordingId = record["recordingID"] switch
        {
            JValue { Type: JTokenType.String } text => (string?)text,
            JValue { Type: JTokenType.Integer } number => number.ToString(Formatting.None),
            _ => null,
        };
        if (recordingId is not null && SrsUriList.HasForbiddenControlCharacter(recordingId))
        {
            error = new RecordingControlError(400, RecordingErrorTexts.InvalidVerb("recordingID contains a control character"));
            return false;
        }
        request = new RecordingControlRequest
        {
            Action = action,
            SrsUris = uris,
            RecordingId = action == RecordingAction.Start && !string.IsNullOrWhiteSpace(recordingId) ? recordingId.Trim() : null,
            CustomHeaders = headers,
        };
        error = null;
        return true;
    }

    private static bool TryReadServers(JToken? token, out string? list, out RecordingControlError? error)
    {
        error = null;
        list = null;
        switch (token)
        {
            case null or { Type: JTokenType.Null }:
                return true;
            case JValue { Type: JTokenType.String } single:
                list = (string?)single;
                return true;
            case JArray array when array.All(t => t.Type == JTokenType.String):
                // Entries are joined so that SrsUriList applies one set of rules to every entry point.
                list = string.Join(",", array.Select(t => (string?)t));
                return true;
            default:
                error = new RecordingControlError(400, RecordingErrorTexts.InvalidVerb("siprecServerURL must be a string or an array of strings"));
                return false;
        }
    }
}
