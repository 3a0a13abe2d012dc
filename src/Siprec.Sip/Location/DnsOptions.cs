using System.Globalization;
using System.Net;

namespace Siprec.Sip.Location;

/// <summary>Where and how <see cref="DnsClient"/> asks (the <c>Dns</c> configuration section; <c>--dns HOST:PORT</c> on the CLI).</summary>
/// <remarks>Defaults: no servers (use <see cref="FromResolvConf"/>), 2 s timeout per query, 2 attempts over all servers.</remarks>
public sealed record DnsOptions
{
    /// <summary>Recursive DNS servers, tried in order (<c>Dns:Servers</c>).</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; init; } = [];

    /// <summary>How long to wait for one server's answer.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Rounds over all servers before giving up.</summary>
    public int Attempts { get; init; } = 2;

    /// <summary>Servers from the <c>nameserver</c> lines of a resolv.conf file (port 53); none when the file is missing.</summary>
    /// <param name="path">The file to read.</param>
    public static DnsOptions FromResolvConf(string path = "/etc/resolv.conf")
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) return new DnsOptions();
        var servers = new List<IPEndPoint>();
        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && fields[0] == "nameserver" && IPAddress.TryParse(fields[1].Split('%')[0], out var address))
            {
                servers.Add(new IPEndPoint(address, 53));
            }
        }
        return new DnsOptions { Servers = servers };
    }

    /// <summary>Parses <c>HOST:PORT</c>, <c>HOST</c> (port 53), <c>[v6]:PORT</c> or a bare IPv6 address.</summary>
    /// <param name="text">The server as written in configuration.</param>
    /// <param name="server">The endpoint, when the text is valid.</param>
    public static bool TryParseServer(string? text, out IPEndPoint? server)
    {
        server = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if (IPAddress.TryParse(text, out var bare) && !(text.Contains(':') && bare.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))
        {
            server = new IPEndPoint(bare, 53);
            return true;
        }
        var colon = text.LastIndexOf(':');
        if (colon <= 0) return false;
        var host = text[..colon].Trim('[', ']');
        if (!IPAddress.TryParse(host, out var address)) return false;
        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535) return false;
        server = new IPEndPoint(address, port);
        return true;
    }

    /// <summary>The text every lookup fails with when <see cref="Servers"/> is empty.</summary>
    public const string NoServersText = "no DNS servers: set Dns:Servers (--dns HOST:PORT) or nameserver lines in /etc/resolv.conf";

    /// <summary>
    /// Throws when a limit is out of range. An empty <see cref="Servers"/> list is allowed: a host whose SRS URIs are
    /// all IP literals needs no DNS, and each lookup then fails with <see cref="NoServersText"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><see cref="Servers"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Timeout not positive or attempts below 1.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Servers, nameof(Servers));
        if (Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "the DNS timeout must be positive");
        if (Attempts < 1) throw new ArgumentOutOfRangeException(nameof(Attempts), Attempts, "at least one DNS attempt is needed");
    }
}
