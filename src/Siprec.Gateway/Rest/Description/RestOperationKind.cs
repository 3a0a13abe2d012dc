namespace Siprec.Gateway.Rest.Description;

/// <summary>What a REST route does, for its OpenAPI description (<see cref="RestOperationTransformer"/>).</summary>
internal enum RestOperationKind
{
    /// <summary><c>POST …/Calls/{CallSid}/Siprec.json</c>: start a SIPREC session (form body).</summary>
    CreateSession,

    /// <summary><c>GET …/Calls/{CallSid}/Siprec.json</c>: a call's sessions.</summary>
    ListSessions,

    /// <summary><c>POST …/Siprec/{Sid}.json</c>: stop, pause or resume a session (form field <c>Status</c>).</summary>
    UpdateSession,

    /// <summary><c>GET …/Siprec/{Sid}.json</c>: one session.</summary>
    FetchSession,

    /// <summary><c>GET …/Accounts/{AccountSid}/Calls.json</c>: a page of the account's calls.</summary>
    ListCalls,

    /// <summary><c>GET …/Calls/{CallSid}.json</c>: one call.</summary>
    FetchCall,
}
