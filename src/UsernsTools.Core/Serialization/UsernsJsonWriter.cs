using System.Buffers;
using System.Text;
using System.Text.Json;
using UsernsTools.Diagnosis;
using UsernsTools.Facts;
using UsernsTools.Facts.Denials;
using UsernsTools.Probes;
using UsernsTools.Probes.Bwrap;

namespace UsernsTools.Serialization;

/// <summary>
/// The CLI's JSON output, written straight to a <see cref="Utf8JsonWriter"/>: the same text that
/// <see cref="UsernsJsonContext"/> writes (camelCase, enums as strings, nulls written, indented), which the tests hold
/// equal for every recorded machine. It exists for the cold start of <c>usernstools status --json</c>. The serializer
/// writes enum and nullable properties through its generic converter pipeline, which is compiled at run time for each
/// of those types (several hundred methods, tens of milliseconds), because that framework code is outside this
/// assembly's ReadyToRun version bubble. Property order is declaration order, as the serializer's.
/// </summary>
internal static class UsernsJsonWriter
{
    private static readonly JsonWriterOptions s_options = new() { Indented = true };

    public static string ToJson(UsernsStatus status) => ToJson(status, Write);

    public static string ToJson(IReadOnlyList<UsernsSetting> settings) => ToJson(settings, static (w, v) => WriteArray(w, v, Write));

    public static string ToJson(IReadOnlyList<UsernsProbeResult> probes) => ToJson(probes, static (w, v) => WriteArray(w, v, Write));

    public static string ToJson(IReadOnlyList<BwrapProbeResult> probes) => ToJson(probes, static (w, v) => WriteArray(w, v, Write));

    public static string ToJson(IReadOnlyList<SubordinateIdRange> ranges) => ToJson(ranges, static (w, v) => WriteArray(w, v, Write));

    /// <summary>Starts a writer with the same options as <see cref="ToJson(UsernsStatus)"/>, for output streamed element by element.</summary>
    public static Utf8JsonWriter CreateWriter(IBufferWriter<byte> buffer) => new(buffer, s_options);

    private static string ToJson<T>(T value, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var writer = CreateWriter(buffer))
        {
            write(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteList<T>(Utf8JsonWriter writer, string name, IReadOnlyList<T>? items, Action<Utf8JsonWriter, T> write)
    {
        writer.WritePropertyName(name);
        WriteArray(writer, items, write);
    }

    private static void WriteArray<T>(Utf8JsonWriter writer, IReadOnlyList<T>? items, Action<Utf8JsonWriter, T> write)
    {
        if (items is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartArray();
        foreach (var item in items)
        {
            write(writer, item);
        }

        writer.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, bool? value)
    {
        if (value is { } flag)
        {
            writer.WriteBoolean(name, flag);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, time);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void Write(Utf8JsonWriter writer, string? value) => writer.WriteStringValue(value);

    private static void Write(Utf8JsonWriter writer, AppArmorProfileFact? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("name", value.Name);
        writer.WriteString("file", value.File);
        writer.WriteString("attachment", value.Attachment);
        writer.WriteBoolean("grantsUserns", value.GrantsUserns);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, BwrapFact? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("id", value.Id);
        writer.WriteString("severity", value.Severity.ToString());
        writer.WriteString("message", value.Message);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, BwrapInstallation? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("path", value.Path);
        writer.WriteString("resolvedPath", value.ResolvedPath);
        writer.WriteString("source", value.Source);
        writer.WriteBoolean("isSelected", value.IsSelected);
        writer.WriteString("version", value.Version);
        writer.WriteBoolean("isSetuid", value.IsSetuid);
        WriteNullable(writer, "ownerUid", value.OwnerUid);
        writer.WriteString("fileCapabilities", value.FileCapabilities);
        WriteNullable(writer, "supportsSetuid", value.SupportsSetuid);
        WriteList(writer, "facts", value.Facts, Write);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, BwrapProbeResult? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("mode", value.Mode.ToString());
        writer.WriteBoolean("succeeded", value.Succeeded);
        writer.WriteBoolean("uidMapped", value.UidMapped);
        writer.WriteString("uidMap", value.UidMap);
        WriteNullable(writer, "exitCode", value.ExitCode);
        writer.WriteString("standardError", value.StandardError);
        writer.WriteString("errorKind", value.ErrorKind.ToString());
        writer.WriteString("errno", value.Errno.ToString());
        writer.WriteString("stage", value.Stage.ToString());
        writer.WriteString("message", value.Message);
        writer.WriteString("explanation", value.Explanation);
        writer.WriteString("likelyCause", value.LikelyCause);
        writer.WriteBoolean("appArmorProfileFixApplies", value.AppArmorProfileFixApplies);
        writer.WritePropertyName("installation");
        Write(writer, value.Installation);
        WriteList(writer, "command", value.Command, Write);
        writer.WriteString("user", value.User);
        writer.WriteNumber("durationMs", value.DurationMs);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, EnvironmentFacts? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("container", value.Container.ToString());
        WriteList(writer, "containerEvidence", value.ContainerEvidence, Write);
        writer.WriteString("wsl", value.Wsl.ToString());
        writer.WriteBoolean("gvisor", value.Gvisor);
        WriteNullable(writer, "inChroot", value.InChroot);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, KernelFacts? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("release", value.Release);
        writer.WriteString("version", value.Version);
        writer.WriteString("osId", value.OsId);
        writer.WriteString("osVersionId", value.OsVersionId);
        writer.WriteString("osIdLike", value.OsIdLike);
        writer.WriteString("osPrettyName", value.OsPrettyName);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, MachineFacts? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("collectedAt", value.CollectedAt);
        writer.WriteString("hostname", value.Hostname);
        writer.WritePropertyName("subject");
        Write(writer, value.Subject);
        writer.WriteNumber("callerUid", value.CallerUid);
        writer.WritePropertyName("kernel");
        Write(writer, value.Kernel);
        WriteList(writer, "settings", value.Settings, Write);
        writer.WritePropertyName("securityModules");
        Write(writer, value.SecurityModules);
        writer.WritePropertyName("process");
        Write(writer, value.Process);
        writer.WritePropertyName("environment");
        Write(writer, value.Environment);
        WriteList(writer, "tools", value.Tools, Write);
        WriteList(writer, "subordinateUids", value.SubordinateUids, Write);
        WriteList(writer, "subordinateGids", value.SubordinateGids, Write);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, ProcessFacts? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        WriteNullable(writer, "seccomp", value.Seccomp);
        WriteNullable(writer, "seccompFilters", value.SeccompFilters);
        WriteNullable(writer, "noNewPrivs", value.NoNewPrivs);
        writer.WriteString("capEff", value.CapEff);
        WriteNullable(writer, "hasCapSysAdmin", value.HasCapSysAdmin);
        writer.WriteString("uidMap", value.UidMap);
        writer.WriteString("gidMap", value.GidMap);
        writer.WriteString("setgroups", value.Setgroups);
        WriteNullable(writer, "userNamespaceInode", value.UserNamespaceInode);
        WriteNullable(writer, "inInitialUserNamespace", value.InInitialUserNamespace);
        WriteNullable(writer, "userNamespaceDepth", value.UserNamespaceDepth);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, SecurityModuleFacts? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        WriteNullable(writer, "appArmorEnabled", value.AppArmorEnabled);
        writer.WriteBoolean("appArmorMediatesUserns", value.AppArmorMediatesUserns);
        writer.WriteBoolean("appArmorUnconfinedRestrictsUserns", value.AppArmorUnconfinedRestrictsUserns);
        WriteList(writer, "appArmorProfiles", value.AppArmorProfiles, Write);
        writer.WriteBoolean("selinuxPresent", value.SelinuxPresent);
        WriteNullable(writer, "selinuxEnforcing", value.SelinuxEnforcing);
        writer.WriteBoolean("selinuxMediatesUserns", value.SelinuxMediatesUserns);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, SubordinateIdRange? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("user", value.User);
        writer.WriteString("kind", value.Kind.ToString());
        writer.WriteNumber("start", value.Start);
        writer.WriteNumber("count", value.Count);
        writer.WriteString("file", value.File);
        writer.WriteNumber("line", value.Line);
        writer.WriteBoolean("containsOwnId", value.ContainsOwnId);
        WriteList(writer, "overlapsWith", value.OverlapsWith, Write);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, SysctlAssignment? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("key", value.Key);
        writer.WriteString("value", value.Value);
        writer.WriteString("file", value.File);
        writer.WriteNumber("line", value.Line);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, ToolFact? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("name", value.Name);
        writer.WriteBoolean("found", value.Found);
        writer.WriteString("path", value.Path);
        writer.WriteString("version", value.Version);
        writer.WriteBoolean("isSetuid", value.IsSetuid);
        WriteNullable(writer, "ownerUid", value.OwnerUid);
        writer.WriteString("fileCapabilities", value.FileCapabilities);
        writer.WriteEndObject();
    }

    /// <summary>One denial, for output streamed element by element into a writer from <see cref="CreateWriter"/>.</summary>
    public static void Write(Utf8JsonWriter writer, UsernsDenial? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        WriteNullable(writer, "time", value.Time);
        writer.WriteString("source", value.Source.ToString());
        writer.WriteString("kind", value.Kind.ToString());
        writer.WriteString("decision", value.Decision);
        writer.WriteString("operation", value.Operation);
        writer.WriteString("profile", value.Profile);
        writer.WriteString("target", value.Target);
        writer.WriteString("class", value.Class);
        writer.WriteString("capability", value.Capability);
        writer.WriteString("name", value.Name);
        writer.WriteString("info", value.Info);
        writer.WriteString("processName", value.ProcessName);
        WriteNullable(writer, "pid", value.Pid);
        writer.WriteString("executable", value.Executable);
        WriteNullable(writer, "syscall", value.Syscall);
        writer.WriteString("architecture", value.Architecture);
        WriteNullable(writer, "auditSerial", value.AuditSerial);
        writer.WriteString("meaning", value.Meaning);
        writer.WriteString("rawLine", value.RawLine);
        writer.WriteString("origin", value.Origin);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, UsernsFinding? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("id", value.Id);
        writer.WriteString("severity", value.Severity.ToString());
        writer.WriteString("setting", value.Setting);
        writer.WriteString("currentValue", value.CurrentValue);
        writer.WriteString("recommendedValue", value.RecommendedValue);
        WriteList(writer, "evidence", value.Evidence, Write);
        writer.WriteString("explanation", value.Explanation);
        writer.WriteString("remediation", value.Remediation);
        writer.WriteString("fixCommand", value.FixCommand);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, UsernsProbeResult? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("name", value.Name);
        writer.WriteBoolean("succeeded", value.Succeeded);
        writer.WriteString("stage", value.Stage.ToString());
        writer.WriteString("errno", value.Errno.ToString());
        writer.WriteString("message", value.Message);
        WriteNullable(writer, "exitCode", value.ExitCode);
        writer.WriteNumber("durationMs", value.DurationMs);
        WriteList(writer, "command", value.Command, Write);
        writer.WriteString("user", value.User);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, UsernsSetting? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("name", value.Name);
        writer.WriteString("path", value.Path);
        writer.WriteBoolean("present", value.Present);
        writer.WriteString("runtimeValue", value.RuntimeValue);
        writer.WriteString("persistedValue", value.PersistedValue);
        writer.WriteString("persistedSource", value.PersistedSource);
        WriteList(writer, "shadowed", value.Shadowed, Write);
        writer.WriteString("effect", value.Effect);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, UsernsStatus? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion", value.SchemaVersion);
        writer.WriteString("verdict", value.Verdict.ToString());
        writer.WritePropertyName("subject");
        Write(writer, value.Subject);
        writer.WriteString("hostname", value.Hostname);
        writer.WriteBoolean("fromReport", value.FromReport);
        WriteList(writer, "findings", value.Findings, Write);
        WriteList(writer, "probes", value.Probes, Write);
        WriteList(writer, "bwrapProbes", value.BwrapProbes, Write);
        WriteList(writer, "denials", value.Denials, Write);
        WriteList(writer, "notes", value.Notes, Write);
        writer.WritePropertyName("facts");
        Write(writer, value.Facts);
        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, UsernsSubject? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("user", value.User);
        writer.WriteNumber("uid", value.Uid);
        writer.WriteNumber("gid", value.Gid);
        writer.WriteBoolean("isCaller", value.IsCaller);
        writer.WriteString("source", value.Source);
        writer.WriteBoolean("hasPasswdEntry", value.HasPasswdEntry);
        writer.WriteEndObject();
    }
}
