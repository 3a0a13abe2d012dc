using System.CommandLine;
using Siprec.Cli.Commands;

var root = new RootCommand("siprec — record a voice-bot call over SIPREC (RFC 7866): demo, gateway, recording server")
{
    DemoCommand.Create(),
    GatewayCommand.Create(),
    SrsCommand.Create(),
    NodeCommand.Create(),
    SipLintCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
