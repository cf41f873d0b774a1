using System.Text;
using UsernsTools.Diagnosis;
using UsernsTools.Platform;
using UsernsTools.Serialization;
using Xunit;

namespace UsernsTools.Tests.Serialization;

/// <summary>A report is untrusted input: what is not a report this version reads is refused, naming what is wrong.</summary>
public class ReportReaderTests
{
    private const string Facts = "\"facts\": { \"subject\": { \"user\": \"alice\", \"uid\": 1000 } }";

    [Theory]
    [InlineData("{ \"schemaVersion\": 0, " + Facts + " }", "ReportSchemaInvalid", "schema version 0")]
    [InlineData("{ \"schemaVersion\": -3, " + Facts + " }", "ReportSchemaInvalid", "schema version -3")]
    [InlineData("{ " + Facts + " }", "ReportSchemaMissing", "no 'schemaVersion'")]
    [InlineData("{ \"schemaVersion\": null, " + Facts + " }", "ReportInvalidValue", "schemaVersion: expected a number")]
    [InlineData("{ \"schemaVersion\": 2, " + Facts + " }", "ReportSchemaTooNew", "schema version 2")]
    [InlineData("{ \"schemaVersion\": 99 }", "ReportSchemaTooNew", "schema version 99")]
    [InlineData("{ \"schemaVersion\": 2, \"facts\": [\"kept elsewhere\"] }", "ReportSchemaTooNew", "schema version 2")]
    [InlineData("{ \"schemaVersion\": 1.5, " + Facts + " }", "ReportInvalidValue", "schemaVersion: expected a whole number")]
    [InlineData("{ \"SchemaVersion\": \"x\", \"Facts\": { \"Subject\": { \"User\": \"alice\" } } }", "ReportInvalidValue", "schemaVersion: expected a whole number")]
    public void ReportWithoutAVersionThisReaderKnowsIsRefused(string json, string errorId, string message)
    {
        var ex = Assert.Throws<UsernsException>(() => ReportReader.Parse(json, "r.json"));

        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(UsernsErrorCategory.InvalidData, ex.Category);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "holds an array (a report is one status")]
    [InlineData("\"alice\"", "holds a string, not an object with 'facts'")]
    [InlineData("42", "holds a number, not an object with 'facts'")]
    [InlineData("true", "holds true or false, not an object with 'facts'")]
    public void JsonThatIsNotAnObjectIsNotCalledInvalidJson(string json, string message)
    {
        var ex = Assert.Throws<UsernsException>(() => ReportReader.Parse(json, "r.json"));

        Assert.Equal("ReportMissingFacts", ex.ErrorId);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("invalid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"probes\": [null]", "probes[0]: expected an object, not null")]
    [InlineData("\"probes\": [{ \"name\": \"CreateUserNamespace\", \"command\": [\"unshare\", null] }]", "probes[0].command[1]: expected a string, not null")]
    [InlineData("\"denials\": [{}, null]", "denials[1]: expected an object, not null")]
    public void NullInAListIsRefusedWithItsPlace(string section, string message)
    {
        var json = "{ \"schemaVersion\": 1, " + Facts + ", " + section + " }";

        var ex = Assert.Throws<UsernsException>(() => ReportReader.Parse(json, "r.json"));

        Assert.Equal(UsernsErrorCategory.InvalidData, ex.Category);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullSectionsAreReadAsLeftOut()
    {
        var json = "{ \"schemaVersion\": 1, \"facts\": { \"subject\": { \"user\": \"alice\" }, \"kernel\": null, \"process\": null, \"settings\": null },"
            + " \"probes\": [{ \"name\": \"CreateUserNamespace\", \"command\": null, \"message\": null }], \"notes\": null }";

        var snapshot = ReportReader.Parse(json, "r.json");

        Assert.NotNull(snapshot.Facts.Kernel);
        Assert.NotNull(snapshot.Facts.Process);
        Assert.Empty(snapshot.Facts.Settings);
        Assert.Empty(snapshot.Notes);
        Assert.NotNull(snapshot.Probes[0].Command);
    }

    [Fact]
    public void OptionalSectionsStayUnknownRatherThanEmpty()
    {
        // null procOvermounts means /proc/self/mountinfo was not read: an empty list would claim nothing covers /proc.
        var json = "{ \"schemaVersion\": 1, \"facts\": { \"subject\": { \"user\": \"alice\" }, \"environment\": { \"procOvermounts\": null } } }";

        var snapshot = ReportReader.Parse(json, "r.json");

        Assert.Null(snapshot.Facts.Environment.ProcOvermounts);
    }

    [Theory]
    [InlineData("\"facts\": { \"subject\": { \"user\": \"alice\" }, \"process\": { \"seccomp\": \"strict\" } }", "facts.process.seccomp: expected a number")]
    [InlineData("\"facts\": { \"subject\": { \"user\": \"alice\", \"uid\": \"x\" } }", "facts.subject.uid: expected a number")]
    [InlineData("\"facts\": { \"subject\": { \"user\": \"alice\" } }, \"probes\": [{ \"stage\": \"Nowhere\" }]", "probes[0].stage: expected one of ")]
    [InlineData("\"facts\": { \"subject\": { \"user\": \"alice\" } }, \"probes\": { }", "probes: expected an array")]
    public void TypeErrorNamesTheProperty(string body, string message)
    {
        var ex = Assert.Throws<UsernsException>(() => ReportReader.Parse("{ \"schemaVersion\": 1,\n" + body + " }", "r.json"));

        Assert.Equal("ReportInvalidValue", ex.ErrorId);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Contains("at line 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEnumWrittenAsANumberIsRefused()
    {
        // The number of a name is whatever the writing version gave it: a report names its values.
        var json = "{ \"schemaVersion\": 1, " + Facts + ", \"probes\": [{ \"name\": \"CreateUserNamespace\", \"stage\": 2 }] }";

        var ex = Assert.Throws<UsernsException>(() => ReportReader.Parse(json, "r.json"));

        Assert.Equal("ReportInvalidValue", ex.ErrorId);
        Assert.Contains("probes[0].stage: expected one of ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith(", not a number.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStatusWithPowerShellsPropertyNamesIsTheSameReport()
    {
        // Get-UsernsStatus | ConvertTo-Json -Depth 10 -EnumsAsStrings: the objects' names, enums as names.
        var json = "{ \"SchemaVersion\": 1, \"Verdict\": \"Unavailable\", \"Facts\": { \"Hostname\": \"web-1\", \"Subject\": { \"User\": \"alice\", \"Uid\": 1000, \"HasPasswdEntry\": true },"
            + " \"Kernel\": { \"Release\": \"6.8.0-31-generic\" } },"
            + " \"Probes\": [{ \"Name\": \"CreateUserNamespace\", \"Succeeded\": false, \"Stage\": \"Create\", \"Errno\": \"EPERM\", \"Command\": [\"unshare\", \"--user\"] }] }";

        var snapshot = ReportReader.Parse(json, "r.json");

        Assert.Equal(("web-1", "alice", 1000L, true, "6.8.0-31-generic"), (snapshot.Facts.Hostname, snapshot.Facts.Subject!.User, snapshot.Facts.Subject.Uid, snapshot.Facts.Subject.HasPasswdEntry, snapshot.Facts.Kernel.Release));
        var probe = Assert.Single(snapshot.Probes);
        Assert.Equal(("CreateUserNamespace", false, UsernsTools.Probes.ProbeStage.Create, UsernsTools.Probes.Errno.EPERM), (probe.Name, probe.Succeeded, probe.Stage, probe.Errno));
        Assert.Equal(new[] { "unshare", "--user" }, probe.Command);
    }

    [Fact]
    public void APowerShellStatusThatCannotBeReadSaysHowToSaveOne()
    {
        // ConvertTo-Json at its default depth writes what lies deeper as a type name.
        var json = "{ \"SchemaVersion\": 1, \"Facts\": { \"Subject\": { \"User\": \"alice\" }, \"Kernel\": \"UsernsTools.Facts.KernelFacts\" } }";

        var ex = Assert.Throws<UsernsException>(() => ReportReader.Parse(json, "r.json"));

        Assert.Equal("ReportInvalidValue", ex.ErrorId);
        Assert.Contains("facts.kernel: expected an object", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("written with -Depth 10 -EnumsAsStrings.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8IsRefused()
    {
        var file = Path.GetTempFileName();
        try
        {
            var bytes = Encoding.UTF8.GetBytes("{ \"schemaVersion\": 1, \"facts\": { \"subject\": { \"user\": \"al\u00e9\" } } }").ToList();
            var at = bytes.IndexOf(0xC3);
            bytes[at + 1] = 0x28; // a lead byte followed by no continuation byte
            File.WriteAllBytes(file, bytes.ToArray());

            var ex = Assert.Throws<UsernsException>(() => ReportReader.Read(file));

            Assert.Equal("ReportInvalidUtf8", ex.ErrorId);
            Assert.Equal(UsernsErrorCategory.InvalidData, ex.Category);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void DirectoryIsNotAReport()
    {
        var ex = Assert.Throws<UsernsException>(() => ReportReader.Read(Path.GetTempPath()));

        Assert.Equal("ReportIsDirectory", ex.ErrorId);
        Assert.Equal(UsernsErrorCategory.ObjectNotFound, ex.Category);
        Assert.Contains("is a directory", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EndlessInputIsRefusedAfterTheLimit()
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var ex = Assert.Throws<UsernsException>(() => ReportReader.Read("/dev/zero"));

        Assert.Equal("ReportTooLarge", ex.ErrorId);
        Assert.Contains("larger than 16 MiB", ex.Message, StringComparison.Ordinal);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 200L * 1024 * 1024, "reading stops near the limit");
    }

    [Fact]
    public void ReportJustUnderTheLimitIsRead()
    {
        var file = Path.GetTempFileName();
        try
        {
            var json = "{ \"schemaVersion\": 1, " + Facts + ", \"notes\": [\"" + new string('x', 1024 * 1024) + "\"] }";
            File.WriteAllText(file, json);

            Assert.Single(ReportReader.Read(file).Notes);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
