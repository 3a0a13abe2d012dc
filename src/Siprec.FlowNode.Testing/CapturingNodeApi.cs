using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace Siprec.FlowNode.Testing;

/// <summary>The <see cref="INodeApi"/> of <see cref="NodeTestHost"/>: keeps every output and log line, and forwards them to the test's own api.</summary>
internal sealed class CapturingNodeApi(INodeApi? forwardTo) : INodeApi
{
    /// <summary>The category of <see cref="Logs"/> entries.</summary>
    public const string Category = "api";

    private readonly List<JObject> _outputs = [];
    private readonly List<NodeLogEntry> _logs = [];

    public IReadOnlyList<JObject> Outputs => _outputs.ToArray();

    public IReadOnlyList<NodeLogEntry> Logs => _logs.ToArray();

    public void Output(JObject data)
    {
        _outputs.Add((JObject)data.DeepClone());
        forwardTo?.Output(data);
    }

    public void Log(LogLevel level, string message)
    {
        _logs.Add(new NodeLogEntry(level, Category, message));
        forwardTo?.Log(level, message);
    }
}
