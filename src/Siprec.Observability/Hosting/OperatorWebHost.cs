using Microsoft.AspNetCore.Builder;

namespace Siprec.Observability.Hosting;

/// <summary>
/// The web host builder of the processes' HTTP listeners (the gateway's REST API, the SRS console): ASP.NET Core's slim
/// builder with configuration reload switched off.
/// </summary>
/// <remarks>
/// With reload on (the default), the host watches <c>appsettings.json</c> through a file watcher on its content root, the
/// working directory, with subdirectories. An SRS or a gateway started where recordings are written (the load harness,
/// <c>siprec demo</c>, many deployments) then handled a file-system event for every WAV and sidecar write: 2.4 % of the
/// gateway's CPU at 500 recorded calls in the issue-14 profile, on a thread named ".NET File Watch". Nothing here reads
/// reloadable settings, so nothing is lost.
/// </remarks>
public static class OperatorWebHost
{
    /// <summary>A slim builder (Kestrel, routing, configuration from the environment) that watches no files.</summary>
    public static WebApplicationBuilder CreateBuilder() =>
        WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
}
