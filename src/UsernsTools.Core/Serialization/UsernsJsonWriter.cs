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

    private static void WriteObject<T>(Utf8JsonWriter writer, T? value, Action<Utf8JsonWriter, T> writeProperties)
        where T : class
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writeProperties(writer, value);
        writer.WriteEndObject();
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

    // The serializer writes a null Nullable<T> as null and a value as T would be written.
    private static void WriteNullable(Utf8JsonWriter writer, string name, int? value) => WriteNullable(writer, name, value is { } v ? () => writer.WriteNumber(name, v) : null);

    private static void WriteNullable(Utf8JsonWriter writer, string name, long? value) => WriteNullable(writer, name, value is { } v ? () => writer.WriteNumber(name, v) : null);

    private static void WriteNullable(Utf8JsonWriter writer, string name, bool? value) => WriteNullable(writer, name, value is { } v ? () => writer.WriteBoolean(name, v) : null);

    private static void WriteNullable(Utf8JsonWriter writer, string name, DateTimeOffset? value) => WriteNullable(writer, name, value is { } v ? () => writer.WriteString(name, v) : null);

    private static void WriteNullable(Utf8JsonWriter writer, string name, Action? writeValue)
    {
        if (writeValue is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writeValue();
        }
    }

    private static void Write(Utf8JsonWriter writer, string? value) => writer.WriteStringValue(value);

    private static void Write(Utf8JsonWriter writer, AppArmorProfileFact? value) => WriteObject(writer, value, static (w, v) =>
    {
        w.WriteString("name", v.Name);
        w.WriteString("file", v.File);
        w.WriteString("attachment", v.Attachment);
        w.WriteBoolean("grantsUserns", v.GrantsUserns);
    });

    private static void Write(Utf8JsonWriter writer, BwrapFact? value) => WriteObject(writer, value, static (w, v) =>
    {
        w.WriteString("id", v.Id);
        w.WriteString("severity", v.Severity.ToString());
        w.WriteString("message", v.Message);
    });

    private static void Write(Utf8JsonWriter writer, BwrapInstallation? value) => WriteObject(writer, value, static (w, v) =>
    {
        w.WriteString("path", v.Path);
        w.WriteString("resolvedPath", v.ResolvedPath);
        w.WriteString("source", v.Source);
        w.WriteBoolean("isSelected", v.IsSelected);
        w.WriteString("version", v.Version);
        w.WriteBoolean("isSetuid", v.IsSetuid);
        WriteNullable(w, "ownerUid", v.OwnerUid);
        w.WriteString("fileCapabilities", v.FileCapabilities);
        WriteNullable(w, "supportsSetuid", v.SupportsSetuid);
        WriteList(w, "facts", v.Facts, Write);
    });

    private static void Write(Utf8JsonWriter writer, BwrapProbeResult? value) => WriteObject(writer, value, static (w, v) =>
    {
        w.WriteString("mode", v.Mode.ToString());
        w.WriteBoolean("succeeded", v.Succeeded);
        w.WriteBoolean("uidMapped", v.UidMapped);
        w.WriteString("uidMap", v.UidMap);
        WriteNullable(w, "exitCode", v.ExitCode);
        w.WriteString("standardError", v.StandardError);
        w.WriteString("errorKind", v.ErrorKind.ToString());
        w.WriteString("errno", v.Errno.ToString());
        w.WriteString("stage", v.Stage.ToString());
        w.WriteString("message", v.Message);
        w.WriteString("explanation", v.Explanation);
        w.WriteString("likelyCause", v.LikelyCause);
        w.WriteBoolean("appArmorProfileFixApplies", v.AppArmorProfileFixApplies);
        w.WritePropertyName("installation");
        Write(w, v.Installation);
        WriteList(w, "command", v.Command, Write);
        w.WriteString("user", v.User);
        w.WriteNumber("durationMs", v.DurationMs);
    });

    private static void Write(Utf8JsonWriter writer, EnvironmentFacts? value) => WriteObject(writer, value, static (w, v) =>
    {
        w.WriteString("container", v.Container.ToString());
        WriteList(w, "containerEvidence", v.ContainerEvidence, Write);
        w.WriteString("wsl", v.Wsl.ToString());
        w.WriteBoolean("gvisor", v.Gvisor);
        WriteNullable(w, "inChroot", v.InChroot);
        WriteList(w, "procOvermounts", v.ProcOvermounts, Write);
    });

    private static void Write(Utf8JsonWriter writer, ProcOvermount? value) => WriteObject(writer, value, static (w, v) =>
    {
        w.WriteString("mountPoint", v.MountPoint);
        w.WriteString("fileSystemType", v.FileSystemType);
        w.WriteString("source", v.Source);
        w.WriteString("root", v.Root);
        w.WriteBoolean("readOnly", v.ReadOnly);
    });

    private static void Write(Utf8JsonWriter writer, KernelFacts? value) => WriteObject(writer, value, static (w, v) =>
    {
        w.WriteString("release", v.Release);
        w.WriteString("version", v.Version);
        w.WriteString("osId", v.OsId);
        w.WriteString("osVersionId", v.OsVersionId);
        w.WriteString("osIdLike", v.OsIdLike);
        w.WriteString("osPrettyName", v.OsPrettyName);
    });

    private static void Write(Utf8JsonWriter writer, MachineFacts? value) => WriteObject(writer, value, static (w, v) =>
    {
        w.WriteString("collectedAt", v.CollectedAt);
        w.WriteString("hostname", v.Hostname);
        w.WritePropertyName("subject");
        Write(w, v.Subject);
        w.WriteNumber("callerUid", v.CallerUid);
        w.WritePropertyName("kernel");
        Write(w, v.Kernel);
        WriteList(w, "settings", v.Settings, Write);
        w.WritePropertyName("securityModules");
        Write(w, v.SecurityModules);
        w.WritePropertyName("process");
        Write(w, v.Process);
        w.WritePropertyName("environment");
        Write(w, v.Environment);
        WriteList(w, "tools", v.Tools, Write);
        WriteList(w, "subordinateUids", v.SubordinateUids, Write);
        WriteList(w, "subordinateGids", v.SubordinateGids, Write);
        WriteList(w, "subordinateIdsInUse", v.SubordinateIdsInUse, Write);
    });

    private static void Write(Utf8JsonWriter writer, ProcessFacts? value) => WriteObject(writer, value, static (w, v) =>
    {
        WriteNullable(w, "seccomp", v.Seccomp);
        WriteNullable(w, "seccompFilters", v.SeccompFilters);
        WriteNullable(w, "noNewPrivs", v.NoNewPrivs);
        w.WriteString("capEff", v.CapEff);
        WriteNullable(w, "hasCapSysAdmin", v.HasCapSysAdmin);
        w.WriteString("uidMap", v.UidMap);
        w.WriteString("gidMap", v.GidMap);
        w.WriteString("setgroups", v.Setgroups);
        WriteNullable(w, "userNamespaceInode", v.UserNamespaceInode);
        WriteNullable(w, "inInitialUserNamespace", v.InInitialUserNamespace);
        WriteNullable(w, "userNamespaceDepth", v.UserNamespaceDepth);
    });

    private static void Write(Utf8JsonWriter writer, SecurityModuleFacts? value) => WriteObject(writer, value, static (w, v) =>
    {
        WriteNullable(w, "appArmorEnabled", v.AppArmorEnabled);
        w.WriteBoolean("appArmorMediatesUserns", v.AppArmorMediatesUserns);
        w.WriteBoolean("appArmorUnconfinedRestrictsUserns", v.AppArmorUnconfinedRestrictsUserns);
        WriteList(w, "appArmorProfiles", v.AppArmorProfiles, Write);
        w.WriteBoolean("selinuxPresent", v.SelinuxPresent);
        WriteNullable(w, "selinuxEnforcing", v.SelinuxEnforcing);
        w.WriteBoolean("selinuxMediatesUserns", v.SelinuxMediatesUserns);
    });

    private static void Write(Utf8JsonWriter writer, SubordinateIdRange? value) => WriteObject(writer, value, static (w, v) =>
    {
        w.WriteString("user", v.User);
        w.WriteString("kind", v.Kind.ToString());
        w.WriteNumber("start", v.Start);
        w.WriteNumber("count", v.Count);
        w.WriteString("file", v.File);
        w.WriteNumber("line", v.Line);
        w.WriteBoolean("containsOwnId", v.ContainsOwnId);
        WriteList(w, "overlapsWith", v.OverlapsWith, Write);
    });

    private static void Write(Utf8JsonWriter writer, SysctlAssignment? value) => WriteObject(writer, value, static (w, v) =>
    {
        w.WriteString("key", v.Key);
        w.WriteString("value", v.Value);
        w.WriteString("file", v.File);
        w.WriteNumber("line", v.Line);
    });

    private static void Write(Utf8JsonWriter writer, ToolFact? value) => WriteObject(writer, value, static (w, v) =>
    {
        w.WriteString("name", v.Name);
        w.WriteBoolean("found", v.Found);
        w.WriteString("path", v.Path);
        w.WriteString("version", v.Version);
        w.WriteBoolean("isSetuid", v.IsSetuid);
        WriteNullable(w, "ownerUid", v.OwnerUid);
        w.WriteString("fileCapabilities", v.FileCapabilities);
        w.WriteString("statOverride", v.StatOverride);
    });

    /// <summary>One denial, for output streamed element by element into a writer from <see cref="CreateWriter"/>.</summary>
    public static void Write(Utf8JsonWriter writer, UsernsDenial? value) => WriteObject(writer, value, static (w, v) =>
    {
        WriteNullable(w, "time", v.Time);
        w.WriteString("source", v.Source.ToString());
        w.WriteString("kind", v.Kind.ToString());
        w.WriteString("decision", v.Decision);
        w.WriteString("operation", v.Operation);
        w.WriteString("profile", v.Profile);
        w.WriteString("target", v.Target);
        w.WriteString("class", v.Class);
        w.WriteString("capability", v.Capability);
        w.WriteString("name", v.Name);
        w.WriteString("info", v.Info);
        w.WriteString("processName", v.ProcessName);
        WriteNullable(w, "pid", v.Pid);
        w.WriteString("executable", v.Executable);
        WriteNullable(w, "syscall", v.Syscall);
        w.WriteString("architecture", v.Architecture);
        WriteNullable(w, "auditSerial", v.AuditSerial);
        w.WriteString("meaning", v.Meaning);
        w.WriteString("rawLine", v.RawLine);
        w.WriteString("origin", v.Origin);
    });

    private static void Write(Utf8JsonWriter writer, UsernsFinding? value) => WriteObject(writer, value, static (w, v) =>
    {
        w.WriteString("id", v.Id);
        w.WriteString("severity", v.Severity.ToString());
        w.WriteString("setting", v.Setting);
        w.WriteString("currentValue", v.CurrentValue);
        w.WriteString("recommendedValue", v.RecommendedValue);
        WriteList(w, "evidence", v.Evidence, Write);
        w.WriteString("explanation", v.Explanation);
        w.WriteString("remediation", v.Remediation);
        w.WriteString("fixCommand", v.FixCommand);
        w.WriteString("fixCmdlet", v.FixCmdlet);
        WriteList(w, "programPaths", v.ProgramPaths, Write);
    });

    private static void Write(Utf8JsonWriter writer, UsernsProbeResult? value) => WriteObject(writer, value, static (w, v) =>
    {
        w.WriteString("name", v.Name);
        w.WriteBoolean("succeeded", v.Succeeded);
        w.WriteString("stage", v.Stage.ToString());
        w.WriteString("errno", v.Errno.ToString());
        w.WriteString("message", v.Message);
        WriteNullable(w, "exitCode", v.ExitCode);
        w.WriteNumber("durationMs", v.DurationMs);
        WriteList(w, "command", v.Command, Write);
        w.WriteString("user", v.User);
    });

    private static void Write(Utf8JsonWriter writer, UsernsSetting? value) => WriteObject(writer, value, static (w, v) =>
    {
        w.WriteString("name", v.Name);
        w.WriteString("path", v.Path);
        w.WriteBoolean("present", v.Present);
        w.WriteString("runtimeValue", v.RuntimeValue);
        w.WriteString("persistedValue", v.PersistedValue);
        w.WriteString("persistedSource", v.PersistedSource);
        WriteList(w, "shadowed", v.Shadowed, Write);
        w.WriteString("effect", v.Effect);
    });

    private static void Write(Utf8JsonWriter writer, UsernsStatus? value) => WriteObject(writer, value, static (w, v) =>
    {
        w.WriteNumber("schemaVersion", v.SchemaVersion);
        w.WriteString("verdict", v.Verdict.ToString());
        w.WriteBoolean("probed", v.Probed);
        w.WritePropertyName("subject");
        Write(w, v.Subject);
        w.WriteString("hostname", v.Hostname);
        w.WriteBoolean("fromReport", v.FromReport);
        WriteList(w, "findings", v.Findings, Write);
        WriteList(w, "probes", v.Probes, Write);
        WriteList(w, "bwrapProbes", v.BwrapProbes, Write);
        WriteList(w, "denials", v.Denials, Write);
        WriteList(w, "notes", v.Notes, Write);
        w.WritePropertyName("facts");
        Write(w, v.Facts);
    });

    private static void Write(Utf8JsonWriter writer, UsernsSubject? value) => WriteObject(writer, value, static (w, v) =>
    {
        w.WriteString("user", v.User);
        w.WriteNumber("uid", v.Uid);
        w.WriteNumber("gid", v.Gid);
        w.WriteBoolean("isCaller", v.IsCaller);
        w.WriteString("source", v.Source);
        w.WriteBoolean("hasPasswdEntry", v.HasPasswdEntry);
    });
}
