using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Siprec.EndToEnd.Tests.Logging;

/// <summary>
/// No log line reads "(null)": every value a <c>[LoggerMessage]</c> template prints is declared non-nullable, so the
/// compiler (nullable warnings CS8600-CS8625 are errors here) makes every caller pass a real value.
/// </summary>
public sealed class LoggerMessageArgumentTests
{
    private static readonly string[] ProductAssemblies =
        ["Siprec.Sip", "Siprec.Media", "Siprec.Control", "Siprec.FlowNode", "Siprec.Recording", "Siprec.Gateway", "Siprec.Recorder", "siprec"];

    public static TheoryData<string> Assemblies()
    {
        var data = new TheoryData<string>();
        foreach (var name in ProductAssemblies) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void EveryTemplateArgument_IsNonNullable(string assemblyName)
    {
        var methods = LogMethods(Assembly.Load(assemblyName)).ToList();
        var context = new NullabilityInfoContext();
        var nullable = new List<string>();
        foreach (var (method, attribute) in methods)
        {
            Assert.DoesNotContain("(null)", attribute.Message, StringComparison.Ordinal);
            foreach (var parameter in method.GetParameters())
            {
                var type = parameter.ParameterType;
                if (typeof(ILogger).IsAssignableFrom(type) || typeof(Exception).IsAssignableFrom(type) || type == typeof(LogLevel)) continue;
                var isNullable = Nullable.GetUnderlyingType(type) is not null
                    || (!type.IsValueType && context.Create(parameter).ReadState != NullabilityState.NotNull);
                if (isNullable) nullable.Add($"{method.DeclaringType!.FullName}.{method.Name}({parameter.Name})");
            }
        }
        Assert.True(methods.Count > 0 || assemblyName is "Siprec.Control" or "siprec", $"{assemblyName} declares no [LoggerMessage] method; is the scan broken?");
        Assert.True(nullable.Count == 0, "log arguments that may print (null): " + string.Join(", ", nullable));
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void EventIds_AreUniqueWithinEachLogClass(string assemblyName)
    {
        // Two lines with one event id cannot be told apart by an operator's log filter (SYSLIB1006 is only a warning).
        var clashes = LogMethods(Assembly.Load(assemblyName))
            .GroupBy(m => (m.Method.DeclaringType!.FullName, m.Attribute.EventId))
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key.FullName} event {g.Key.EventId}: {string.Join(", ", g.Select(m => m.Method.Name))}")
            .ToList();
        Assert.True(clashes.Count == 0, string.Join("; ", clashes));
    }

    private static IEnumerable<(MethodInfo Method, LoggerMessageAttribute Attribute)> LogMethods(Assembly assembly) =>
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select (method, attribute);
}
