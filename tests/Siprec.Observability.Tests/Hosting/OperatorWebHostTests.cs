using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Siprec.Observability.Hosting;

namespace Siprec.Observability.Tests.Hosting;

/// <summary>
/// The HTTP listeners' host must not watch its working directory: with configuration reload on, ASP.NET Core puts a
/// recursive file watcher on the content root, and the gateway and SRS often run where recordings are being written.
/// </summary>
public sealed class OperatorWebHostTests
{
    [Fact]
    public void TheBuilder_ReadsAppSettingsWithoutReloadOnChange()
    {
        var builder = OperatorWebHost.CreateBuilder();

        var json = ((IConfigurationRoot)builder.Configuration).Providers.OfType<JsonConfigurationProvider>().ToList();

        Assert.NotEmpty(json); // appsettings.json (optional) is still a source; only the watching is off
        Assert.All(json, provider => Assert.False(provider.Source.ReloadOnChange, $"{provider.Source.Path} reloads on change"));
    }
}
