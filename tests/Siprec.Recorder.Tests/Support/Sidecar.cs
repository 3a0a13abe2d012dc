using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Siprec.Recorder.Tests.Support;

/// <summary>Reads a JSON sidecar exactly as written (times stay strings).</summary>
internal static class Sidecar
{
    public static JObject Read(string path)
    {
        using var reader = new JsonTextReader(new StringReader(File.ReadAllText(path))) { DateParseHandling = DateParseHandling.None };
        return JObject.Load(reader);
    }
}
