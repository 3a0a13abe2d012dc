using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Siprec.Observability.Console;

/// <summary>
/// Who may read a console (and its <c>/metrics</c>): anyone when it is bound to a loopback address (only this machine
/// reaches it), otherwise only requests whose <c>Authorization</c> header the host's credentials accept (the REST API's
/// accounts on the gateway); others get 401 with <c>WWW-Authenticate: Basic</c>.
/// </summary>
public static class ConsoleAccess
{
    /// <summary>True when <paramref name="bound"/> is reachable only from this machine (127.0.0.0/8, ::1).</summary>
    public static bool IsLoopbackOnly(IPEndPoint bound)
    {
        ArgumentNullException.ThrowIfNull(bound);
        return IPAddress.IsLoopback(bound.Address);
    }

    /// <summary>
    /// Adds the gate in front of every later middleware and endpoint: open on loopback, else <paramref name="authenticate"/>
    /// must accept the request's <c>Authorization</c> header (null when absent).
    /// </summary>
    /// <param name="app">The application.</param>
    /// <param name="bound">The address the console listens on.</param>
    /// <param name="authenticate">Accepts or refuses an <c>Authorization</c> header value; null: nobody is accepted off loopback.</param>
    /// <param name="paths">Path prefixes the gate covers (e.g. <c>/console</c>, <c>/metrics</c>); empty: every path.</param>
    public static void UseConsoleAccess(this WebApplication app, IPEndPoint bound, Func<string?, bool>? authenticate, params string[] paths)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (IsLoopbackOnly(bound)) return;
        app.Use(async (context, next) =>
        {
            var covered = paths.Length == 0 || paths.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.Ordinal));
            if (!covered || (authenticate is not null && authenticate(context.Request.Headers.Authorization.FirstOrDefault())))
            {
                await next(context).ConfigureAwait(false);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"siprec console\"";
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("401 credentials required: this console is bound to a non-loopback address\n").ConfigureAwait(false);
        });
    }
}
