using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;
using Xunit;

namespace UsernsTools.Tests.Bwrap;

public class BwrapMessageClassifierTests
{
    public static TheoryData<string, string, string, string> Corpus()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var entry in Fixtures.Load("bwrap-stderr.json"))
        {
            data.Add(entry.GetProperty("stderr").GetString()!, entry.GetProperty("kind").GetString()!, entry.GetProperty("errno").GetString()!, entry.GetProperty("stage").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void EveryRecordedMessageIsClassifiedAsExpected(string stderr, string kind, string errno, string stage)
    {
        var result = BwrapMessageClassifier.Classify(stderr);
        Assert.Equal(kind, result.Kind.ToString());
        Assert.Equal(errno, result.Errno.ToString());
        Assert.Equal(stage, result.Stage.ToString());
        Assert.False(string.IsNullOrEmpty(result.Explanation));
        Assert.DoesNotContain("bwrap: ", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCorpusCoversEveryMessageFamily()
    {
        var recorded = Fixtures.Load("bwrap-stderr.json").Select(e => e.GetProperty("kind").GetString()).ToHashSet();
        var notFromMessages = new[] { BwrapErrorKind.None, BwrapErrorKind.NotInstalled, BwrapErrorKind.SetuidNotUsed, BwrapErrorKind.LaunchFailed, BwrapErrorKind.Timeout };
        foreach (var kind in Enum.GetValues<BwrapErrorKind>().Except(notFromMessages))
        {
            Assert.Contains(kind.ToString(), recorded);
        }
    }

    [Fact]
    public void ArbitraryTextNeverThrows()
    {
        Prop.ForAll<string>(text =>
        {
            var result = BwrapMessageClassifier.Classify(text);
            return Enum.IsDefined(result.Kind);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void TruncatedMessagesNeverThrow()
    {
        foreach (var (stderr, _, _, _) in CorpusRows())
        {
            for (var length = 0; length <= stderr.Length; length++)
            {
                _ = BwrapMessageClassifier.Classify(stderr[..length]);
                _ = BwrapMessageClassifier.Classify(stderr[length..]);
            }
        }
    }

    [Fact]
    public void ARecordedMessageAmongOtherOutputKeepsItsKind()
    {
        var rows = CorpusRows().Where(r => r.Kind != nameof(BwrapErrorKind.Unknown)).ToArray();
        var noise = Gen.Elements("", "warning: something\n", "sh: 1: locale: not found\n", "Usage: bwrap [OPTIONS...]\n", "\r\n");
        var gen =
            from row in Gen.Elements(rows)
            from before in noise
            from after in noise
            select (row, before + row.Stderr + after);
        Prop.ForAll(Arb.From(gen), t =>
        {
            var result = BwrapMessageClassifier.Classify(t.Item2);
            return result.Kind.ToString() == t.row.Kind && result.Errno.ToString() == t.row.Errno;
        }).QuickCheckThrowOnFailure();
    }

    private static IEnumerable<(string Stderr, string Kind, string Errno, string Stage)> CorpusRows()
        => Fixtures.Load("bwrap-stderr.json").Select(e => (
            e.GetProperty("stderr").GetString()!,
            e.GetProperty("kind").GetString()!,
            e.GetProperty("errno").GetString()!,
            e.GetProperty("stage").GetString()!));
}
