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
var parse = root.Parse(args);
// `siprec gateway` handles SIGINT and SIGTERM itself (SIGTERM drains, issue 15); System.CommandLine's handler would end it
// two seconds after SIGTERM. The other commands keep System.CommandLine's Ctrl+C cancellation.
var invocation = new InvocationConfiguration();
if (parse.CommandResult.Command.Name == "gateway") invocation.ProcessTerminationTimeout = null;
return await parse.InvokeAsync(invocation);
