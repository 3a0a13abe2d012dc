using System.CommandLine;
using Siprec.Sip.Messages;

namespace Siprec.Cli.Commands;

/// <summary>
/// <c>siprec sip lint FILE…</c>: reads each file as one SIP message with datagram semantics (RFC 3261 §18.3)
/// and prints <c>FILE: valid</c> or <c>FILE: invalid: reason (code|drop)</c>; exit 0 only if every file is valid.
/// </summary>
internal static class SipLintCommand
{
    /// <summary>The <c>sip</c> command carrying the <c>lint</c> subcommand.</summary>
    public static Command Create() => new("sip", "SIP message tools") { CreateLint() };

    /// <summary>The <c>lint</c> subcommand on its own, for nesting under another <c>sip</c> command.</summary>
    public static Command CreateLint()
    {
        var files = new Argument<string[]>("FILE") { Description = "files that each hold one SIP message", Arity = ArgumentArity.OneOrMore };
        var command = new Command("lint", "check SIP messages as a UAS would (RFC 3261 §8.2, RFC 4475)") { files };
        command.SetAction(parse => Run(parse.GetValue(files) ?? [], Console.Out));
        return command;
    }

    /// <summary>Lints <paramref name="files"/>, one line each on <paramref name="output"/>; 0 when all are valid, else 1.</summary>
    public static int Run(IReadOnlyList<string> files, TextWriter output)
    {
        var allValid = files.Count > 0;
        foreach (var file in files)
        {
            var line = Lint(file, out var valid);
            allValid &= valid;
            output.WriteLine(line);
        }
        return allValid ? 0 : 1;
    }

    private static string Lint(string file, out bool valid)
    {
        valid = false;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"{file}: invalid: cannot read the file: {ex.Message} (drop)";
        }
        var result = SipMessageCheck.Check(bytes, SipValidationPolicy.Default);
        if (result.IsValid)
        {
            valid = true;
            return $"{file}: valid";
        }
        var outcome = result.StatusCode is { } code ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : "drop";
        return $"{file}: invalid: {Printable(result.Problem!)} ({outcome})";
    }

    /// <summary>Control characters from the message would break the one-line-per-file output.</summary>
    private static string Printable(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = char.IsControl(source[i]) ? '?' : source[i];
        });
}
