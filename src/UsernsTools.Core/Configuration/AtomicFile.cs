using UsernsTools.Platform;

namespace UsernsTools.Configuration;

/// <summary>
/// Writes files so that a reader (or a crash) sees either the old or the new bytes, never a mix: a temporary file
/// in the same folder, fsync, rename over the target, fsync the folder. Targets must be regular files (or absent)
/// below the managed folders; a symlink planted at a target is refused rather than followed.
/// </summary>
internal static class AtomicFile
{
    public const int DefaultMode = 0x1A4; // 0644

    /// <summary>The names of the temporary files <see cref="Write"/> renames over a target.</summary>
    public const string TemporaryPattern = ".*.usernstools-*.tmp";

    /// <summary>The exact state of a managed file below <paramref name="root"/>.</summary>
    public static FileSnapshot Read(string root, string machinePath)
    {
        var full = ManagedPaths.Resolve(root, machinePath);
        var stat = StatTarget(full);
        if (stat is null)
        {
            return FileSnapshot.Absent;
        }

        try
        {
            return new FileSnapshot(true, File.ReadAllBytes(full), stat.Mode, stat.OwnerUid, stat.OwnerGid, ExtendedAttributes.Read(full));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw IoFailure.From(ex, full, "read");
        }
    }

    /// <summary>
    /// Puts <paramref name="desired"/> in place: writes its bytes, mode, owner and extended attributes (when it knows
    /// them; else those of the file it replaces stay), or removes the file when it is absent.
    /// </summary>
    public static void Apply(string root, string machinePath, FileSnapshot desired, bool setOwner)
    {
        ArgumentNullException.ThrowIfNull(desired);
        if (desired.Exists)
        {
            Write(root, machinePath, desired.Content, desired.Mode, setOwner ? desired.Uid : null, setOwner ? desired.Gid : null, desired.ExtendedAttributes);
        }
        else
        {
            Delete(root, machinePath);
        }
    }

    /// <summary>
    /// Replaces the file by rename. The new file gets <paramref name="attributes"/> as its extended attributes, or,
    /// when null, those of the file it replaces: a rename leaves them behind with the old inode.
    /// </summary>
    public static void Write(
        string root,
        string machinePath,
        ReadOnlySpan<byte> content,
        int mode,
        long? uid = null,
        long? gid = null,
        IReadOnlyList<KeyValuePair<string, byte[]>>? attributes = null)
    {
        var full = ManagedPaths.Resolve(root, machinePath);
        var directory = Path.GetDirectoryName(full)!;
        EnsureDirectory(root, Path.GetDirectoryName(machinePath)!);
        if (StatTarget(full) is not null && attributes is null)
        {
            try
            {
                attributes = ExtendedAttributes.Read(full);
            }
            catch (IOException ex)
            {
                throw IoFailure.From(ex, full, "read");
            }
        }

        var temporary = Path.Combine(directory, "." + Path.GetFileName(full) + ".usernstools-" + Guid.NewGuid().ToString("N")[..12] + ".tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                if (uid is not null && gid is not null)
                {
                    var errno = PosixNative.FChown(stream.SafeFileHandle, uid.Value, gid.Value);
                    if (errno != 0)
                    {
                        throw new IOException($"Cannot set the owner of {full} to {uid}:{gid}.", errno);
                    }
                }

                // After fchown, which clears setuid/setgid bits.
                File.SetUnixFileMode(stream.SafeFileHandle, (UnixFileMode)mode);

                // Last: writing and fchown drop a file capability (security.capability), and an ACL sets the group bits.
                if (attributes is { Count: > 0 })
                {
                    var errno = ExtendedAttributes.Set(stream.SafeFileHandle, attributes, out var name);
                    if (errno != 0)
                    {
                        throw new IOException($"Cannot give {full} the extended attribute {name} it had: {PosixNative.ErrorMessage(errno)}", errno);
                    }
                }
                stream.Flush(flushToDisk: true);
            }

            // Checked again right before the rename to narrow the window for a symlink planted meanwhile.
            _ = StatTarget(full);
            File.Move(temporary, full, overwrite: true);
            PosixNative.FsyncDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw IoFailure.From(ex, full, "write");
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public static void Delete(string root, string machinePath)
    {
        var full = ManagedPaths.Resolve(root, machinePath);
        if (StatTarget(full) is null)
        {
            return;
        }

        try
        {
            File.Delete(full);
            PosixNative.FsyncDirectory(Path.GetDirectoryName(full)!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw IoFailure.From(ex, full, "remove");
        }
    }

    /// <summary>Creates a managed folder (and its missing parents) below the root; a symlinked managed folder is refused.</summary>
    public static void EnsureDirectory(string root, string machineDirectory)
    {
        var full = ManagedPaths.Contained(root, machineDirectory, includeLast: true);
        UnixFileStatus? stat;
        try
        {
            stat = UnixFile.LStat(full);
        }
        catch (IOException ex)
        {
            throw IoFailure.From(ex, full, "inspect");
        }

        if (stat is not null)
        {
            if (stat.IsSymlink || !stat.IsDirectory)
            {
                throw new UsernsException(
                    "TargetIsSymlink",
                    UsernsErrorCategory.InvalidData,
                    $"{full} is a symbolic link or not a folder; UsernsTools does not write through links.",
                    full);
            }

            return;
        }

        var parent = Path.GetDirectoryName(machineDirectory.TrimEnd('/'));
        if (string.IsNullOrEmpty(parent) || parent == "/")
        {
            if (!Directory.Exists(RootedPath.Combine(root, "/")))
            {
                throw new UsernsException("RootNotFound", UsernsErrorCategory.ObjectNotFound, $"The root folder '{root}' does not exist.", root);
            }
        }
        else
        {
            EnsureDirectory(root, parent);
        }

        try
        {
            Directory.CreateDirectory(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            PosixNative.FsyncDirectory(Path.GetDirectoryName(full)!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw IoFailure.From(ex, full, "create");
        }
    }

    /// <summary>
    /// Removes the temporary files (<c>.NAME.usernstools-ID.tmp</c>) that a run killed between creating and renaming
    /// them left in the managed folders; some hold a whole configuration file. Call it only under the configuration
    /// lock, when no other run can be writing one. Returns the machine paths removed.
    /// </summary>
    public static IReadOnlyList<string> RemoveStaleTemporaries(string root)
    {
        var removed = new List<string>();
        foreach (var machineDirectory in new[] { ManagedPaths.SysctlDir, ManagedPaths.AppArmorDir, ManagedPaths.JournalDir, ManagedPaths.BackupsDir })
        {
            string directory;
            try
            {
                directory = ManagedPaths.Contained(root, machineDirectory, includeLast: true);
            }
            catch (UsernsException)
            {
                // A linked folder is refused by the write that needs it; nothing is removed through it.
                continue;
            }

            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(directory, TemporaryPattern))
            {
                try
                {
                    // lstat: a link with this name is removed itself, never what it points to.
                    if (UnixFile.LStat(file) is { } stat && (stat.IsRegularFile || stat.IsSymlink))
                    {
                        File.Delete(file);
                        removed.Add(machineDirectory + "/" + Path.GetFileName(file));
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Left for the next run; a stale temporary file is ignored by sysctl and apparmor (dot-named).
                }
            }
        }

        return removed;
    }

    private static UnixFileStatus? StatTarget(string full)
    {
        UnixFileStatus? stat;
        try
        {
            stat = UnixFile.LStat(full);
        }
        catch (IOException ex)
        {
            throw IoFailure.From(ex, full, "inspect");
        }

        if (stat is null)
        {
            return null;
        }

        if (stat.IsSymlink)
        {
            throw new UsernsException(
                "TargetIsSymlink",
                UsernsErrorCategory.InvalidData,
                $"{full} is a symbolic link; UsernsTools does not write through links. Remove the link or replace it with a regular file.",
                full);
        }

        if (!stat.IsRegularFile)
        {
            throw new UsernsException("TargetNotRegularFile", UsernsErrorCategory.InvalidData, $"{full} is not a regular file.", full);
        }

        return stat;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stale temporary file is harmless (dot-named, ignored by sysctl and apparmor).
        }
    }
}
