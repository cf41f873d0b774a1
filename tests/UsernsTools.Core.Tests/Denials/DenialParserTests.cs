using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using UsernsTools.Facts.Denials;
using UsernsTools.Tests.Bwrap;
using Xunit;

namespace UsernsTools.Tests.Denials;

public class DenialParserTests
{
    public static TheoryData<string, string?, string> Corpus()
    {
        var data = new TheoryData<string, string?, string>();
        foreach (var entry in Fixtures.Load("kernel-log-lines.json"))
        {
            var expected = entry.GetProperty("expected");
            data.Add(entry.GetProperty("line").GetString()!, expected.ValueKind == JsonValueKind.Null ? null : expected.GetRawText(), entry.GetProperty("note").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void EveryRecordedLineParsesAsExpected(string line, string? expectedJson, string note)
    {
        var denial = DenialParser.Parse(line, new DenialParseContext { BootTime = DateTimeOffset.UnixEpoch, Year = 2024, Zone = TimeZoneInfo.Utc });
        if (expectedJson is null)
        {
            Assert.True(denial is null, note);
            return;
        }

        Assert.NotNull(denial);
        Assert.Equal(line, denial.RawLine);
        Assert.False(string.IsNullOrEmpty(denial.Meaning), note);
        using var expected = JsonDocument.Parse(expectedJson);
        foreach (var property in expected.RootElement.EnumerateObject())
        {
            var actual = property.Name switch
            {
                "kind" => denial.Kind.ToString(),
                "source" => denial.Source.ToString(),
                "decision" => denial.Decision,
                "operation" => denial.Operation,
                "profile" => denial.Profile,
                "target" => denial.Target,
                "capability" => denial.Capability,
                "name" => denial.Name,
                "info" => denial.Info,
                "processName" => denial.ProcessName,
                "pid" => denial.Pid?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "syscall" => denial.Syscall?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "architecture" => denial.Architecture,
                "auditSerial" => denial.AuditSerial?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "time" => denial.Time?.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                _ => throw new InvalidOperationException("Unknown expectation " + property.Name),
            };
            var wanted = property.Name switch
            {
                "time" => DateTimeOffset.Parse(property.Value.GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                _ => property.Value.ValueKind == JsonValueKind.Number ? property.Value.GetRawText() : property.Value.GetString(),
            };
            Assert.True(wanted == actual, $"{note}: {property.Name} expected '{wanted}' but was '{actual}'");
        }
    }

    [Fact]
    public void TheCorpusCoversEveryKindOfDenial()
    {
        var recorded = Fixtures.Load("kernel-log-lines.json")
            .Select(e => e.GetProperty("expected"))
            .Where(e => e.ValueKind == JsonValueKind.Object)
            .Select(e => e.GetProperty("kind").GetString())
            .ToHashSet();
        foreach (var kind in Enum.GetValues<DenialKind>().Where(k => k != DenialKind.AppArmorOther))
        {
            Assert.Contains(kind.ToString(), recorded);
        }
    }

    [Fact]
    public void ArbitraryLinesNeverThrow()
    {
        Prop.ForAll<string>(line => DenialParser.Parse(line) is null or { RawLine: not null }).QuickCheckThrowOnFailure();

        // Arbitrary text around the markers the parser looks for.
        var markers = Gen.Elements("apparmor=", "avc:", "type=1326", "type=SECCOMP", "audit(", "audit(1.", "audit(99999999999999999999.1:2)", "{", "}", "\"", "=", "[", "]", ";", ",", " ", "syscall=", "arch=c000003e", "tclass=user_namespace", "operation=\"userns_create\"");
        var gen = Gen.ArrayOf(Gen.OneOf(markers, ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""))).Select(parts => string.Concat(parts));
        Prop.ForAll(Arb.From(gen), line => DenialParser.Parse(line, new DenialParseContext { BootTime = DateTimeOffset.UnixEpoch }) is null or { RawLine: not null }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void TruncatedLinesNeverThrow()
    {
        var context = new DenialParseContext { BootTime = DateTimeOffset.UnixEpoch, Year = 2024 };
        foreach (var entry in Fixtures.Load("kernel-log-lines.json"))
        {
            var line = entry.GetProperty("line").GetString()!;
            for (var length = 0; length <= line.Length; length++)
            {
                _ = DenialParser.Parse(line[..length], context);
                _ = DenialParser.Parse(line[length..], context);
            }
        }
    }

    [Fact]
    public void ParsingWhatTheFormatterWroteGivesTheSameDenialBack()
    {
        var gen =
            from denial in DenialGenerators.Any
            from style in Gen.Elements(DenialLineStyle.Kernel, DenialLineStyle.Audit)
            select (denial, style);
        Prop.ForAll(Arb.From(gen), t =>
        {
            var line = DenialFormatter.Format(t.denial, t.style);
            var parsed = DenialParser.Parse(line);
            var again = parsed is null ? null : DenialParser.Parse(DenialFormatter.Format(parsed, t.style));
            return (DenialGenerators.Describe(parsed) == DenialGenerators.Describe(t.denial)
                    && parsed!.RawLine == line
                    && again is not null && again.Kind == parsed.Kind && again.Meaning == parsed.Meaning)
                .Label(line + " => " + DenialGenerators.Describe(parsed) + " expected " + DenialGenerators.Describe(t.denial));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void DmesgAndKmsgTimesCountFromBoot()
    {
        var boot = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
        var body = "audit: type=1400 apparmor=\"DENIED\" operation=\"userns_create\" profile=\"unconfined\" comm=\"bwrap\"";
        var context = new DenialParseContext { BootTime = boot };
        Assert.Equal(boot.AddSeconds(12.5), DenialParser.Parse("[   12.500000] " + body, context)!.Time);
        Assert.Equal(boot.AddSeconds(3), DenialParser.Parse("6,99,3000000,-;" + body, context)!.Time);
        Assert.Null(DenialParser.Parse("[   12.500000] " + body)!.Time);
    }

    [Theory]
    [InlineData("2026-11-22T08:00:01.250000+0000 host kernel: ")]
    [InlineData("2026-11-22T09:00:01.250000+01:00 host kernel: ")]
    [InlineData("2026-11-22T08:00:01,250000+00:00 ")]
    public void JournalAndDmesgIsoTimesAreRead(string prefix)
    {
        var denial = DenialParser.Parse(prefix + "audit: type=1400 apparmor=\"DENIED\" operation=\"userns_create\" profile=\"unconfined\"");
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 8, 0, 1, 250, TimeSpan.Zero), denial!.Time);
    }

    [Fact]
    public void SyslogDatesTakeTheYearAndZoneFromTheContext()
    {
        var denial = DenialParser.Parse(
            "Nov 22 08:00:01 host kernel: audit: type=1400 apparmor=\"DENIED\" operation=\"userns_create\" profile=\"unconfined\"",
            new DenialParseContext { Year = 2025, Zone = TimeZoneInfo.Utc });
        Assert.Equal(new DateTimeOffset(2025, 11, 22, 8, 0, 1, TimeSpan.Zero), denial!.Time);
    }

    [Fact]
    public void TheAuditStampWinsOverTheLogsOwnTime()
    {
        var denial = DenialParser.Parse("2026-11-22T08:00:01.000000+0000 host kernel: audit: type=1400 audit(1700000000.123:9): apparmor=\"DENIED\" operation=\"userns_create\" profile=\"unconfined\"");
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), denial!.Time);
        Assert.Equal(9, denial.AuditSerial);
    }
}
