using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Siprec.Control;
using Siprec.Gateway.RecordingControl;

namespace Siprec.Gateway.Rest.Description;

/// <summary>
/// The JSON Schemas (OpenAPI 3.1) of the REST API's bodies, per dialect, mirroring what <see cref="SiprecResourceJson"/>,
/// <see cref="CallResourceJson"/> and <see cref="RestDialectShape"/> write: every key those always write is
/// <c>required</c>, and a value they may write as null is typed with <c>null</c>. Also the form and query fields the
/// code reads (<see cref="RestRecordingRequest"/>, <see cref="RestRecordingStatus"/>, <see cref="CallListQuery"/>).
/// </summary>
internal static class RestSchemas
{
    /// <summary>The component name of a body schema in a dialect, e.g. <c>TwilioSiprecSession</c>.</summary>
    public static string Name(RestDialect dialect, string shape) => dialect + shape;

    /// <summary>The response body shapes: <c>SiprecSession</c>, <c>SiprecSessionList</c>, <c>Call</c>, <c>CallPage</c>, <c>Error</c>.</summary>
    public static IReadOnlyDictionary<string, OpenApiSchema> Bodies(RestDialect dialect)
    {
        var session = Session(dialect);
        var call = Call(dialect);
        return new Dictionary<string, OpenApiSchema>(StringComparer.Ordinal)
        {
            ["SiprecSession"] = session,
            ["SiprecSessionList"] = Object("A call's SIPREC sessions, oldest first.",
                ("siprec_sessions", Array(session)), ("uri", Text("The list's path (relative, .json)."))),
            ["Call"] = call,
            ["CallPage"] = CallPage(dialect, call),
            ["Error"] = dialect == RestDialect.Twilio ? TwilioError() : TelnyxError(),
        };
    }

    /// <summary>The create form (<c>application/x-www-form-urlencoded</c> or <c>multipart/form-data</c>); field names are case-sensitive.</summary>
    public static OpenApiSchema CreateForm()
    {
        var schema = Object("Twilio's SIPREC fields plus Telnyx's additions and RecordingRequired; unknown fields are ignored.",
            ("Name", Text("The session's name, unique per call; usable instead of the SID to update it.", maxLength: RestRecordingRequest.MaxNameLength)),
            ("ConnectorName", Text("A configured SRS connector; absent: the account's defaultConnector.", maxLength: RestRecordingRequest.MaxNameLength)),
            ("Track", Enum(["both_tracks", "inbound_track", "outbound_track"], "Which legs to record; default both_tracks.")),
            ("StatusCallback", Text("Absolute http or https URL for status callbacks.", format: "uri")),
            ("StatusCallbackMethod", Enum(["GET", "POST"], "Callback method; default POST.")),
            ("IncludeMetadataCustomHeaders", Flag("Telnyx: true puts the Parameter{N} pairs in the recording metadata, false (default) in SIP headers.")),
            ("Secure", Flag("Telnyx: TLS signalling and SRTP towards the SRS; absent: the connector's setting.")),
            ("SessionTimeoutSecs", Integer("Telnyx: RFC 4028 session interval, 0 (off) or at least 90 seconds.", minimum: 0)),
            ("SipTransport", Enum(["udp", "tcp", "tls"], "Telnyx: transport towards the SRS; absent: the connector's.")),
            ("RecordingRequired", Flag("Extension: true ends the call when it cannot be recorded; absent: the connector's recordingRequired.")));
        schema.Required = new HashSet<string>(StringComparer.Ordinal);
        // Parameter1.Name/Parameter1.Value … Parameter99.*: custom parameters (Twilio's <Parameter>, Telnyx's custom headers).
        schema.PatternProperties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            [@"^Parameter([1-9]|[1-9][0-9])\.(Name|Value)$"] = Text("A custom parameter's name or value (Parameter1 … Parameter99).",
                maxLength: RestRecordingRequest.MaxValueLength),
        };
        return schema;
    }

    /// <summary>The update form: the one field <c>Status</c>.</summary>
    public static OpenApiSchema UpdateForm() =>
        Object("Stop (Twilio), pause or resume (beyond Twilio) a session.",
            ("Status", Enum([RestRecordingStatus.Stopped, RestRecordingStatus.Paused, RestRecordingStatus.InProgress],
                "stopped stops, paused pauses, in-progress resumes.")));

    /// <summary>The query parameters of a Calls list, as <see cref="CallListQuery"/> reads them.</summary>
    public static IReadOnlyList<(string Name, OpenApiSchema Schema)> CallListQueryFields() =>
    [
        ("Status", Enum(CallListQuery.Statuses, "Only calls in this status.")),
        ("PageSize", Integer("Calls per page; default 50.", minimum: 1, maximum: CallListQuery.MaxPageSize)),
        ("Page", Integer("Zero-based page index (without PageToken the page starts at Page × PageSize).", minimum: 0)),
        ("PageToken", Text("The cursor of a next_page_uri.")),
    ];

    private static OpenApiSchema Session(RestDialect dialect) => Object("A SIPREC session (DESIGN §4.4).",
        ("account_sid", Text("The account.")),
        ("call_sid", Text("The call.")),
        ("sid", Text("SR + 32 hex.")),
        ("name", Text("The session's name.", nullable: true)),
        ("status", Enum([RestRecordingStatus.InProgress, RestRecordingStatus.Paused, RestRecordingStatus.Stopped], "The session's state.")),
        ("track", Enum(["both_tracks", "inbound_track", "outbound_track"], "Recorded legs.")),
        ("date_created", Text("RFC 2822 time.")),
        ("date_updated", Text("RFC 2822 time.")),
        ("start_time", Text("RFC 2822 time the first SRS accepted.", nullable: true)),
        ("uri", Text(dialect == RestDialect.Twilio ? "Relative path with .json." : "Absolute URL without .json.")),
        ("error_code", ErrorCode(dialect)),
        ("recorders", Array(Object("One SRS of the session (beyond both vendors).",
            ("srs_uri", Text("The SRS URI, without password.")),
            ("status", Enum([RecorderResource.Pending, RecorderResource.Active, RecorderResource.Failed, RecorderResource.Stopped], "The recorder's state.")),
            ("error_code", ErrorCode(dialect)),
            ("error", Text("Why it failed.", nullable: true)),
            ("replaces", Text("For a failover standby: the failed recorder's URI.", nullable: true)),
            ("gap_ms", Integer("For a standby that accepted: milliseconds of audio not delivered.", nullable: true)),
            ("media", Nullable(Array(Object("What the recorder reports of one stream in RTCP (RFC 3550 §6.4.1).",
                ("label", Text("The stream's label.")),
                ("packets_sent", Integer("RTP packets forwarded.")),
                ("packets_lost", Integer("Cumulative packets lost.", nullable: true)),
                ("fraction_lost", Number("Fraction 0..1 lost in the last interval.")),
                ("jitter_ms", Number("Interarrival jitter, ms.")),
                ("round_trip_ms", Number("Round trip, ms."))))))))));

    private static OpenApiSchema Call(RestDialect dialect)
    {
        var fields = new List<(string, OpenApiSchema)>
        {
            ("account_sid", Text("The account.")),
            ("answered_by", Text("Not known to the gateway: null.", nullable: true)),
            ("caller_name", Text("Not known to the gateway: null.", nullable: true)),
            ("date_created", Text("RFC 2822 time.", nullable: true)),
            ("date_updated", Text("RFC 2822 time.", nullable: true)),
            ("direction", Enum(["inbound"], "The gateway answers calls.")),
            ("duration", Text("Whole seconds, as a string; null while the call goes on.", nullable: true)),
            ("end_time", Text("RFC 2822 time.", nullable: true)),
            ("from", Text("The INVITE's From URI.")),
            ("from_formatted", Text("Null.", nullable: true)),
            ("price", Text("Null.", nullable: true)),
            ("price_unit", Text("Null.", nullable: true)),
            ("sid", Text("CA + 32 hex.")),
            ("start_time", Text("RFC 2822 time.", nullable: true)),
            ("status", Enum(CallListQuery.Statuses, "in-progress or completed.")),
            ("to", Text("The INVITE's To URI.")),
            ("to_formatted", Text("Null.", nullable: true)),
            ("uri", Text("Relative path with .json.")),
        };
        if (dialect == RestDialect.Twilio)
        {
            fields.AddRange(new[] { "annotation", "forwarded_from", "group_sid", "parent_call_sid", "phone_number_sid", "queue_time", "trunk_sid" }
                .Select(name => (name, Text("Not known to the gateway: null.", nullable: true))));
            fields.Add(("api_version", Enum(["2010-04-01"], "The API version.")));
            fields.Add(("subresource_uris", Object("Sub-resources.", ("siprec", Text("The call's SIPREC sessions list.")))));
        }
        return Object("A call (issue 13): what the gateway knows, every other documented field null.", [.. fields]);
    }

    private static OpenApiSchema CallPage(RestDialect dialect, OpenApiSchema call)
    {
        var fields = new List<(string, OpenApiSchema)>
        {
            ("calls", Array(call)),
            ("end", Integer("Zero-based index of the last record.")),
            ("first_page_uri", Text("The first page.")),
            ("next_page_uri", Text("The next page; null on the last.", nullable: true)),
            ("page", Integer("The page index.")),
            ("page_size", Integer("Calls per page.")),
            ("start", Integer("Zero-based index of the first record.")),
            ("uri", Text("This page.")),
        };
        if (dialect == RestDialect.Twilio)
        {
            fields.Add(("previous_page_uri", Text("The previous page; null on the first.", nullable: true)));
        }
        return Object("A page of the account's calls, newest first.", [.. fields]);
    }

    private static OpenApiSchema TwilioError() => Object("Twilio's error body, plus DESIGN §4.4's errors array.",
        ("code", Integer("The error code (RestErrorCodes; below 99100 Twilio's own).")),
        ("message", Text("What went wrong.")),
        ("more_info", Text("Twilio's page of a Twilio code; null for the gateway's own codes.", nullable: true, format: "uri")),
        ("status", Integer("The HTTP status.")),
        ("errors", Array(Object("The same error.", ("code", Integer("The error code.")), ("detail", Text("What went wrong."))))));

    private static OpenApiSchema TelnyxError() => Object("Telnyx's error body.",
        ("errors", Array(Object("One error.",
            ("code", Text("The error code, as a string.")),
            ("title", Text("The code's short title.")),
            ("detail", Text("What went wrong."))))));

    private static OpenApiSchema ErrorCode(RestDialect dialect) => dialect == RestDialect.Twilio
        ? Integer("Why it failed (a number on the Twilio path); null when it did not.", nullable: true)
        : Text("Why it failed (a string on the Telnyx path); null when it did not.", nullable: true);

    private static OpenApiSchema Object(string description, params (string Name, OpenApiSchema Schema)[] properties) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        Properties = properties.ToDictionary(p => p.Name, p => (IOpenApiSchema)p.Schema, StringComparer.Ordinal),
        Required = new HashSet<string>(properties.Select(p => p.Name), StringComparer.Ordinal),
    };

    private static OpenApiSchema Array(OpenApiSchema items) => new() { Type = JsonSchemaType.Array, Items = items };

    private static OpenApiSchema Nullable(OpenApiSchema schema)
    {
        schema.Type |= JsonSchemaType.Null;
        return schema;
    }

    private static OpenApiSchema Text(string description, bool nullable = false, string? format = null, int? maxLength = null) => new()
    {
        Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String,
        Description = description,
        Format = format,
        MaxLength = maxLength,
    };

    private static OpenApiSchema Integer(string description, bool nullable = false, int? minimum = null, int? maximum = null) => new()
    {
        Type = nullable ? JsonSchemaType.Integer | JsonSchemaType.Null : JsonSchemaType.Integer,
        Description = description,
        Minimum = minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Maximum = maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    // Measurements the recorder may not have reported yet: always nullable.
    private static OpenApiSchema Number(string description) => new() { Type = JsonSchemaType.Number | JsonSchemaType.Null, Description = description };

    // Form booleans are the words true/false (bool.TryParse, case-insensitive).
    private static OpenApiSchema Flag(string description) => new() { Type = JsonSchemaType.Boolean, Description = description };

    private static OpenApiSchema Enum(IEnumerable<string> values, string description) => new()
    {
        Type = JsonSchemaType.String,
        Description = description,
        Enum = values.Select(v => (JsonNode)JsonValue.Create(v)!).ToList(),
    };
}
