using System.Globalization;
using Newtonsoft.Json.Linq;
using Siprec.Observability.Console;

namespace Siprec.Observability.Tests.Console;

public sealed class RecordingCatalogTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "siprec-catalog-" + Guid.NewGuid().ToString("N"));

    public RecordingCatalogTests()
    {
        Directory.CreateDirectory(_folder);
        Write("srs-a", "rec-alpha", "CA111", "2026-12-05T10:00:00.000Z");
        Write("srs-b", "rec-beta", "CA222", "2026-12-06T09:00:00.000Z");
        Write("srs-c", null, "CA333", "2026-12-06T11:00:00.000Z");
        File.WriteAllText(Path.Combine(_folder, "broken.json"), "{ not json");
        File.WriteAllText(Path.Combine(_folder, "evil.json"),
            new JObject { ["sessionId"] = "evil", ["wavFile"] = "../../etc/passwd", ["startTime"] = "2026-12-06T11:00:00.000Z" }.ToString());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Search_ListsNewestFirst_AndSkipsUnreadableSidecarsAndWavNamesWithAPath()
    {
        var all = new RecordingCatalog(_folder).Search(null, null, 10);

        Assert.Equal(["srs-c", "srs-b", "srs-a"], all.Select(r => r.SessionId));
    }

    [Theory]
    [InlineData("ALPHA", null, new[] { "srs-a" })]
    [InlineData("CA22", null, new[] { "srs-b" })]
    [InlineData("srs-c", null, new[] { "srs-c" })]
    [InlineData(null, "2026-12-06", new[] { "srs-c", "srs-b" })]
    [InlineData("rec", "2026-12-06", new[] { "srs-b" })]
    [InlineData("nothing", null, new string[0])]
    public void Search_MatchesRecordingIdCallSidOrSession_AndTheUtcDate(string? query, string? date, string[] expected)
    {
        var day = date is null ? (DateOnly?)null : DateOnly.Parse(date, CultureInfo.InvariantCulture);

        var found = new RecordingCatalog(_folder).Search(query, day, 10);

        Assert.Equal(expected, found.Select(r => r.SessionId));
    }

    [Theory]
    [InlineData("../srs-a")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("srs-a/../srs-b")]
    [InlineData("")]
    public void Find_RefusesNamesThatAreNotPlainFileNames(string name) =>
        Assert.Null(new RecordingCatalog(_folder).Find(name));

    [Fact]
    public void Find_ReadsPausesAndChannelMarks()
    {
        var entry = new RecordingCatalog(_folder).Find("srs-b")!;

        Assert.Equal([(1.5, (double?)2.25)], entry.Pauses);
        var channel = Assert.Single(entry.Channels);
        Assert.Equal([(0.5, 2L)], channel.LossMarks);
        Assert.Equal([3.0], channel.LateMergedSeconds);
        Assert.Equal(Path.Combine(_folder, "srs-b.wav"), entry.WavPath);
    }

    private void Write(string session, string? recordingId, string callSid, string start) =>
        File.WriteAllText(Path.Combine(_folder, session + ".json"), new JObject
        {
            ["sessionId"] = session,
            ["recordingId"] = recordingId,
            ["callSid"] = callSid,
            ["startTime"] = start,
            ["stopTime"] = start,
            ["wavFile"] = session + ".wav",
            ["durationSeconds"] = 4.0,
            ["pauses"] = new JArray(new JObject { ["startSeconds"] = 1.5, ["endSeconds"] = 2.25 }),
            ["streams"] = new JArray(new JObject
            {
                ["channel"] = 0,
                ["label"] = "1",
                ["packets"] = 10,
                ["lost"] = 2,
                ["lossMarks"] = new JArray(new JObject { ["seconds"] = 0.5, ["packets"] = 2 }),
                ["lateMergedSeconds"] = new JArray(3.0),
            }),
        }.ToString());
}
