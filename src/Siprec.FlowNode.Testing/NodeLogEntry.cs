using Microsoft.Extensions.Logging;

namespace Siprec.FlowNode.Testing;

/// <summary>One log line a node wrote while run by <see cref="NodeTestHost"/>.</summary>
/// <param name="Level">The log level.</param>
/// <param name="Category">The logger category (e.g. the <see cref="Siprec.FlowNode.Scripting.CognigyScript"/> type name).</param>
/// <param name="Message">The formatted message.</param>
public sealed record NodeLogEntry(LogLevel Level, string Category, string Message);
