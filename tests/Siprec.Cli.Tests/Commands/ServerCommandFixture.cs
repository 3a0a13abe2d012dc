using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Siprec.Testing;

namespace Siprec.Cli.Tests.Commands;

/// <summary>
/// What the tests of the two server commands (<c>siprec gateway</c>, <c>siprec srs</c>) share: a test CA and server
/// certificate, a temporary folder for certificate and config files, and running the command in-process.
/// </summary>
internal sealed class ServerCommandFixture : IDisposable
{
    /// <summary>The password of the PFX files <see cref="WritePfx"/> writes.</summary>
    public const string Password = "s3cret";

    private readonly string _folder = Directory.CreateTempSubdirectory("siprec-cli-server-").FullName;

    /// <summary>The test CA and the server certificate it issued (for 127.0.0.1 and localhost).</summary>
    public TestCertificates Certificates { get; } = new();

    /// <summary>The temporary folder, deleted on dispose.</summary>
    public string Folder => _folder;

    /// <summary>The server certificate with its private key as a PFX protected by <see cref="Password"/>; returns its path.</summary>
    public string WritePfx()
    {
        var path = Path.Combine(_folder, "server.pfx");
        File.WriteAllBytes(path, Certificates.Server.Export(X509ContentType.Pkcs12, Password));
        return path;
    }

    /// <summary>Writes <paramref name="text"/> to a file named <paramref name="name"/> in the folder; returns its path.</summary>
    public string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Runs <paramref name="command"/> (bounded by 30 s) as <c>siprec NAME args…</c>; returns its exit code, output and error text.</summary>
    public static async Task<(int Exit, string Output, string Error)> RunAsync(Command command, LockedStringWriter output, CancellationToken cancellationToken, params string[] args)
    {
        var error = new LockedStringWriter();
        var root = new RootCommand("siprec") { command };
        var exit = await root.Parse([command.Name, .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Starts a server command, waits (at most 20 s) until it says it listens, then stops it as Ctrl+C does.</summary>
    public static async Task<(int Exit, string Output, string Error)> RunUntilStartedAsync(Command command, params string[] args)
    {
        using var stop = new CancellationTokenSource();
        var started = new LockedStringWriter();
        var run = RunAsync(command, started, stop.Token, args);
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (!started.ToString().Contains("Ctrl+C stops", StringComparison.Ordinal) && !run.IsCompleted)
                await Task.Delay(20, limit.Token);
        }
        await stop.CancelAsync();
        return await run;
    }

    public void Dispose()
    {
        Certificates.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
