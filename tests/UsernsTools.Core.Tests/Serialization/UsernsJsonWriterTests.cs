using System.Buffers;
using System.Text;
using System.Text.Json;
using UsernsTools.Diagnosis;
using UsernsTools.Facts.Denials;
using UsernsTools.Platform;
using UsernsTools.Serialization;
using UsernsTools.Tests.Diagnosis;
using Xunit;

namespace UsernsTools.Tests.Serialization;

/// <summary>
/// The CLI writes its JSON with <see cref="UsernsJsonWriter"/>, and reports are read back with
/// <see cref="UsernsJsonContext"/>: the two must agree to the byte, or 'status --json' and '--from' drift apart. A
/// property added to any output type without the writer knowing it shows up here, because the serializer writes every
/// property, null or not.
/// </summary>
public sealed class UsernsJsonWriterTests
{
    public static TheoryData<string> FixtureNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Fixtures.Names())
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void StatusIsWrittenAsTheSerializerWritesIt(string fixture)
    {
        var status = Diagnoser.Diagnose(Fixtures.Load(fixture));

        Assert.Equal(JsonSerializer.Serialize(status, UsernsJsonContext.Default.UsernsStatus), UsernsJsonWriter.ToJson(status));
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void ListsAreWrittenAsTheSerializerWritesThem(string fixture)
    {
        var status = Diagnoser.Diagnose(Fixtures.Load(fixture));
        var context = UsernsJsonContext.Default;

        Assert.Equal(JsonSerializer.Serialize(status.Facts.Settings, context.IReadOnlyListUsernsSetting), UsernsJsonWriter.ToJson(status.Facts.Settings));
        Assert.Equal(JsonSerializer.Serialize(status.Probes, context.IReadOnlyListUsernsProbeResult), UsernsJsonWriter.ToJson(status.Probes));
        Assert.Equal(JsonSerializer.Serialize(status.BwrapProbes, context.IReadOnlyListBwrapProbeResult), UsernsJsonWriter.ToJson(status.BwrapProbes));
        Assert.Equal(JsonSerializer.Serialize(status.Facts.SubordinateUids, context.IReadOnlyListSubordinateIdRange), UsernsJsonWriter.ToJson(status.Facts.SubordinateUids));
        Assert.Equal(JsonSerializer.Serialize(status.Denials, context.IReadOnlyListUsernsDenial), StreamedDenials(status.Denials));
    }

    [Fact]
    public void TheFixturesCoverEveryKindOfOutput()
    {
        // Without these, the tests above would compare empty lists only.
        var statuses = Fixtures.Names().Select(name => Diagnoser.Diagnose(Fixtures.Load(name))).ToList();
        Assert.Contains(statuses, s => s.Findings.Count > 0);
        Assert.Contains(statuses, s => s.Probes.Count > 0);
        Assert.Contains(statuses, s => s.BwrapProbes.Count > 0 && s.BwrapProbes.Any(p => p.Installation is not null));
        Assert.Contains(statuses, s => s.Denials.Count > 0);
        Assert.Contains(statuses, s => s.Notes.Count > 0);
        Assert.Contains(statuses, s => s.Facts.SubordinateUids.Count > 0);
    }

    [Fact]
    public async Task ThisMachinesStatusIsWrittenAsTheSerializerWritesIt()
    {
        var status = await UsernsEngine.GetStatusAsync(new StatusRequest { NoProbe = true }, CancellationToken.None);

        Assert.Equal(JsonSerializer.Serialize(status, UsernsJsonContext.Default.UsernsStatus), UsernsJsonWriter.ToJson(status));
    }

    [Fact]
    public void TextThatNeedsEscapingIsEscapedAsTheSerializerDoes()
    {
        var status = Diagnoser.Diagnose(Fixtures.Load(Fixtures.Names().First()));
        var odd = new UsernsStatus
        {
            Verdict = status.Verdict,
            Subject = status.Subject,
            Hostname = "h\u00f6st \"quoted\" <tag> & \\ \t\u0001 \u2028 \ud83d\ude00",
            Findings = status.Findings,
            Notes = ["line one\nline two", "\u00e9t\u00e9"],
            Facts = status.Facts,
        };

        Assert.Equal(JsonSerializer.Serialize(odd, UsernsJsonContext.Default.UsernsStatus), UsernsJsonWriter.ToJson(odd));
    }

    private static string StreamedDenials(IReadOnlyList<UsernsDenial> denials)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = UsernsJsonWriter.CreateWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var denial in denials)
            {
                UsernsJsonWriter.Write(writer, denial);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
