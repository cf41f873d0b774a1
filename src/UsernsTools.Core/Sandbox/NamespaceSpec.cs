using System.Globalization;
using System.Text.Json.Serialization;
using UsernsTools.Platform;

namespace UsernsTools.Sandbox;

/// <summary>
/// What to run and how to isolate it. A plain options object: set what you need, then <see cref="Validate"/>
/// (the runner and the argv builders validate again). Options that need a namespace imply it: a mapping
/// implies User, a hostname Uts, MountProc and bind mounts Mount, LoopbackNetwork Net.
/// </summary>
public sealed class NamespaceSpec
{
    /// <summary>Largest id a uid_map line can name (4294967295 is the invalid id).</summary>
    internal const long MaxId = 4294967294;

    /// <summary>The program, found on the sandbox's PATH when it has no slash.</summary>
    [JsonInclude] public string FilePath { get; set; } = "";

    /// <summary>Arguments, passed as they are (no shell is involved).</summary>
    [JsonInclude] public List<string> ArgumentList { get; set; } = new();

    [JsonInclude] public NamespaceKind Namespaces { get; set; }

    [JsonInclude] public IdentityMapping Mapping { get; set; }

    /// <summary>The uid the caller gets inside with <see cref="IdentityMapping.User"/>.</summary>
    [JsonInclude] public long? MapUserId { get; set; }

    /// <summary>The gid the caller gets inside with <see cref="IdentityMapping.User"/>; defaults to <see cref="MapUserId"/>.</summary>
    [JsonInclude] public long? MapGroupId { get; set; }

    /// <summary>Hostname inside a new UTS namespace.</summary>
    [JsonInclude] public string? Hostname { get; set; }

    /// <summary>Mount a fresh /proc, so a pid namespace's processes are all that /proc lists.</summary>
    [JsonInclude] public bool MountProc { get; set; }

    /// <summary>Absolute directory to start in, as seen inside the sandbox.</summary>
    [JsonInclude] public string? WorkingDirectory { get; set; }

    /// <summary>Start from an empty environment instead of the caller's (bwrap still sets PWD when it changes directory).</summary>
    [JsonInclude] public bool ClearEnvironment { get; set; }

    /// <summary>Variables to set; a null value removes the variable.</summary>
    [JsonInclude] public Dictionary<string, string?> Environment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The host's root, read-only, with a fresh /dev (bwrap only).</summary>
    [JsonInclude] public bool ReadOnlyRoot { get; set; }

    /// <summary>Host paths bound into the sandbox, after the root (bwrap only).</summary>
    [JsonInclude] public List<BindMount> BindMounts { get; set; } = new();

    /// <summary>A new network namespace whose loopback is up and nothing else (bwrap only: unshare leaves lo down).</summary>
    [JsonInclude] public bool LoopbackNetwork { get; set; }

    /// <summary>
    /// Kill the sandbox when the calling process dies, even by SIGKILL (default on). Unless <see cref="SharePidNamespace"/>,
    /// this puts the program in a pid namespace of its own even when Pid was not asked for, below a small init that
    /// dies with the caller: the kernel then kills every process in it, background children and setsid ones included.
    /// </summary>
    [JsonInclude] public bool DieWithCaller { get; set; } = true;

    /// <summary>
    /// Leave the program in the caller's pid namespace when Pid is not asked for: it sees the caller's pids, and its
    /// background children can outlive a caller killed by SIGKILL.
    /// </summary>
    [JsonInclude] public bool SharePidNamespace { get; set; }

    /// <summary>Kill the whole sandbox after this long; null waits for ever.</summary>
    [JsonInclude] public TimeSpan? Timeout { get; set; }

    [JsonInclude] public BackendKind Backend { get; set; }

    /// <summary>
    /// <see cref="FilePath"/> and <see cref="ArgumentList"/> as the bytes they were decoded from, when the caller has
    /// them (the command line's own argv): a word that is not UTF-8 then reaches the program unchanged, where its
    /// string holds U+FFFD. Each must decode to its word.
    /// </summary>
    internal IReadOnlyList<byte[]>? RawCommand { get; set; }

    /// <summary>
    /// Whole <c>NAME=VALUE</c> entries, by name, for variables of <see cref="Environment"/> whose value the caller got as
    /// bytes that are not UTF-8 (<c>usernstools run --env</c>): passed on as those bytes. Each must decode to its entry.
    /// </summary>
    internal IReadOnlyDictionary<string, byte[]>? RawEnvironment { get; set; }

    /// <summary>The namespaces asked for plus those the other options imply.</summary>
    public NamespaceKind ImpliedNamespaces()
    {
        var kinds = Namespaces;
        if (Mapping != IdentityMapping.None)
        {
            kinds |= NamespaceKind.User;
        }

        if (Hostname is not null)
        {
            kinds |= NamespaceKind.Uts;
        }

        if (MountProc || ReadOnlyRoot || BindMounts.Count > 0)
        {
            kinds |= NamespaceKind.Mount;
        }

        if (LoopbackNetwork)
        {
            kinds |= NamespaceKind.Net;
        }

        return kinds;
    }

    /// <summary>
    /// Whether the backend adds a pid namespace that was not asked for, to hold the tree: the program is then not its
    /// pid 1 (an init that ignores what the terminal sends is), so Ctrl+C and the program's exit code work as without one.
    /// </summary>
    internal bool HoldsTreeInPidNamespace => DieWithCaller && !SharePidNamespace && (ImpliedNamespaces() & NamespaceKind.Pid) == 0;

    /// <summary>Throws a <see cref="UsernsException"/> naming the first option that cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(FilePath))
        {
            throw Invalid(SandboxErrorIds.FilePathMissing, "No program to run: FilePath is empty.", FilePath);
        }

        // argv strings are C strings: a NUL would silently cut the argument short.
        if (FilePath.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid(SandboxErrorIds.ArgumentContainsNul, "FilePath contains a NUL character.", FilePath);
        }

        foreach (var argument in ArgumentList)
        {
            if (argument is null || argument.Contains('\0', StringComparison.Ordinal))
            {
                throw Invalid(SandboxErrorIds.ArgumentContainsNul, "An argument is null or contains a NUL character, which no process can receive.", argument);
            }
        }

        if (Hostname is not null && !IsValidHostname(Hostname))
        {
            throw Invalid(
                SandboxErrorIds.InvalidHostname,
                $"'{Hostname}' is not a valid hostname: use 1 to 64 letters, digits, '-' and '.', not starting with '-' or '.'.",
                Hostname);
        }

        if (SharePidNamespace && (Namespaces & NamespaceKind.Pid) != 0)
        {
            throw Invalid(SandboxErrorIds.PidNamespaceConflict, "SharePidNamespace and a Pid namespace exclude each other: choose one.", Namespaces);
        }

        ValidateMapping();
        ValidatePath(WorkingDirectory, "WorkingDirectory");
        foreach (var mount in BindMounts)
        {
            ArgumentNullException.ThrowIfNull(mount);
            ValidatePath(mount.Source, "BindMounts.Source");
            ValidatePath(mount.Target, "BindMounts.Target");
        }

        if (RawCommand is { } raw)
        {
            var words = ArgumentList.Prepend(FilePath).ToList();
            if (raw.Count != words.Count || raw.Where((bytes, i) => !string.Equals(System.Text.Encoding.UTF8.GetString(bytes), words[i], StringComparison.Ordinal)).Any())
            {
                throw new ArgumentException("The raw command must be the bytes of FilePath and ArgumentList.", nameof(RawCommand));
            }
        }

        foreach (var (name, entry) in RawEnvironment ?? new Dictionary<string, byte[]>())
        {
            if (!Environment.TryGetValue(name, out var value) || value is null
                || !string.Equals(System.Text.Encoding.UTF8.GetString(entry), name + "=" + value, StringComparison.Ordinal))
            {
                throw new ArgumentException("A raw environment entry must be the bytes of its variable in Environment.", nameof(RawEnvironment));
            }
        }

        // A lone surrogate has no UTF-8 form: the encoder would replace it, and the program would get other bytes.
        var lossy = ArgumentList.Prepend(FilePath).Concat(Environment.Keys).Concat(Environment.Values.OfType<string>())
            .FirstOrDefault(ProcessBytes.HasLoneSurrogate);
        if (lossy is not null)
        {
            throw Invalid(SandboxErrorIds.NotUtf8, "An argument or environment variable holds a lone UTF-16 surrogate, which cannot be passed on unchanged.", lossy);
        }

        foreach (var name in Environment.Keys)
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
            {
                throw Invalid(SandboxErrorIds.InvalidEnvironmentName, $"'{name}' cannot be an environment variable name.", name);
            }
        }

        foreach (var value in Environment.Values)
        {
            if (value is not null && value.Contains('\0', StringComparison.Ordinal))
            {
                throw Invalid(SandboxErrorIds.ArgumentContainsNul, "An environment value contains a NUL character.", value);
            }
        }

        if (Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw Invalid(SandboxErrorIds.TimeoutNotPositive, "Timeout must be positive.", timeout);
        }

        // Checked here, before the start: a timer that cannot hold the value would throw once the program runs.
        if (Timeout is { } longest && TimeoutLimits.Problem(longest, TimeoutLimits.MaximumRunSeconds, nameof(Timeout)) is { } problem)
        {
            throw Invalid(SandboxErrorIds.TimeoutTooLong, problem, longest);
        }
    }

    /// <summary>The gid that <see cref="IdentityMapping.User"/> maps the caller's group to.</summary>
    internal long EffectiveMapGroupId => MapGroupId ?? MapUserId ?? 0;

    private void ValidateMapping()
    {
        if (Mapping == IdentityMapping.User)
        {
            if (MapUserId is null)
            {
                throw Invalid(SandboxErrorIds.MapUserIdMissing, "Mapping User needs MapUserId (the uid the caller gets inside).", Mapping);
            }
        }
        else if (MapUserId is not null || MapGroupId is not null)
        {
            throw Invalid(
                SandboxErrorIds.MapIdWithoutUserMapping,
                $"MapUserId and MapGroupId apply only to Mapping User, not {Mapping}.",
                MapUserId ?? MapGroupId);
        }

        foreach (var id in new[] { MapUserId, MapGroupId })
        {
            if (id is { } value && (value < 0 || value > MaxId))
            {
                throw Invalid(
                    SandboxErrorIds.MapIdOutOfRange,
                    string.Create(CultureInfo.InvariantCulture, $"{value} is not a valid id: use 0 to {MaxId}."),
                    value);
            }
        }
    }

    private static void ValidatePath(string? path, string option)
    {
        if (path is not null && !path.StartsWith('/'))
        {
            throw Invalid(SandboxErrorIds.PathNotAbsolute, $"{option} must be an absolute path, not '{path}'.", path);
        }

        if (path is not null && path.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid(SandboxErrorIds.ArgumentContainsNul, $"{option} contains a NUL character.", path);
        }
    }

    private static bool IsValidHostname(string name)
    {
        if (name.Length is 0 or > 64 || name[0] is '-' or '.')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static UsernsException Invalid(string id, string message, object? value) =>
        new(id, UsernsErrorCategory.InvalidArgument, message, value);
}
