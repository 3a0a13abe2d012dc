using Siprec.Gateway.Calls;
using Siprec.Gateway.Tests.Support;

namespace Siprec.Gateway.Tests.Calls;

public sealed class PromptLibraryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("siprec-gw-prompts-").FullName;

    [Fact]
    public void Get_ReadsPromptNameDotWav_FromThePromptDirectory_AndCachesIt()
    {
        Tone.Write(Path.Combine(_dir, "prompt-hello.wav"), 0.1);
        var library = new PromptLibrary(_dir);

        var first = library.Get("hello");
        File.Delete(Path.Combine(_dir, "prompt-hello.wav"));
        var second = library.Get("hello");

        Assert.Equal(800, first.Length);
        Assert.Same(first, second);
    }

    [Fact]
    public void Get_NamesTheMissingFile()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => new PromptLibrary(_dir).Get("nothere"));
        Assert.Contains("prompt-nothere.wav", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_RefusesAudioThatIsNot8kHz()
    {
        Tone.Write(Path.Combine(_dir, "prompt-wide.wav"), 0.1, sampleRate: 16000);
        var ex = Assert.Throws<InvalidDataException>(() => new PromptLibrary(_dir).Get("wide"));
        Assert.Contains("16000", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../secret")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Get_RefusesNamesThatCouldLeaveThePromptDirectory(string name)
    {
        Assert.Throws<ArgumentException>(() => new PromptLibrary(_dir).Get(name));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
