using System.CommandLine;
using Siprec.Gateway;
using Siprec.Gateway.Configuration;
using Siprec.Media.Rtpengine;

namespace Siprec.Cli.Commands;

/// <summary><c>siprec gateway --media-engine embedded|rtpengine --rtpengine udp:HOST:PORT[=WEIGHT]…</c>: the command line wins over <c>media</c> in the configuration file.</summary>
internal sealed class MediaEngineArguments
{
    private readonly Option<string?> _engine = new("--media-engine") { Description = "what forks media to the recorders: embedded (default, nothing to install) or rtpengine (needs --rtpengine or media.rtpengine)" };

    private readonly Option<string[]> _rtpengine = new("--rtpengine")
    {
        Description = "rtpengine ng address udp:HOST:PORT[=WEIGHT] (repeatable; new calls shared by weight, failover when one stops answering)",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_engine);
        command.Options.Add(_rtpengine);
    }

    /// <summary>Applies the given options over <paramref name="options"/>; false with a message naming the bad option.</summary>
    public bool TryApply(ParseResult parse, ref GatewayOptions options, out string? error)
    {
        error = null;
        if (parse.GetValue(_rtpengine) is { Length: > 0 } texts)
        {
            var instances = new List<RtpengineInstance>();
            foreach (var text in texts)
            {
                if (!RtpengineInstance.TryParse(text, out var instance, out var why))
                {
                    error = "--rtpengine " + why;
                    return false;
                }
                instances.Add(instance!);
            }
            options = options with { Rtpengines = instances };
        }

        if (parse.GetValue(_engine) is { } engineText)
        {
            if (!GatewayConfigurationFile.TryParseMediaEngine(engineText, out var engine))
            {
                error = $"--media-engine '{engineText}': expected embedded or rtpengine";
                return false;
            }
            options = options with { MediaEngine = engine };
        }

        if (options.MediaEngine == GatewayMediaEngine.Rtpengine && options.Rtpengines.Count == 0)
        {
            error = "--media-engine rtpengine needs at least one --rtpengine udp:HOST:PORT (or media.rtpengine in --config)";
            return false;
        }

        return true;
    }
}
