using System.Text;
using System.Text.Json.Nodes;
using Mono.Unix.Native;
using UsernsTools.Configuration;
using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests.Configuration;

/// <summary>
/// set and restore replace a file by rename, which leaves the old inode's extended attributes behind (SELinux
/// labels, ACLs, user.* attributes): the new file must carry them, and restore must put back those the journal saw.
/// </summary>
public class ExtendedAttributeTests
{
    private const string Max = "user.max_user_namespaces";
    private const string DropIn = "/etc/sysctl.d/99-zz-usernstools.conf";

    [UserXattrFact]
    public async Task SetKeepsTheExtendedAttributesOfTheFileItReplaces()
    {
        using var root = new TestRoot().WithProc(Max, "5").WithFile(DropIn, "user.max_user_namespaces = 5\n");
        SetAttribute(root.Full(DropIn), "user.origin", "admin");
        SetAttribute(root.Full(DropIn), "user.binary", new byte[] { 0, 0xff, 0x80 });

        await Remediation.SetSettingAsync(new SetSettingRequest(Max, "9") { Scope = ChangeScope.Persistent }, root.Context());

        Assert.Equal("user.max_user_namespaces = 9\n", root.Text(DropIn));
        Assert.Equal(
            new[] { ("user.binary", "00ff80"), ("user.origin", Convert.ToHexString(Encoding.UTF8.GetBytes("admin")).ToLowerInvariant()) },
            Attributes(root.Full(DropIn)));
    }

    [UserXattrFact]
    public async Task RestorePutsBackTheExtendedAttributesAsTheyWere()
    {
        using var root = new TestRoot().WithProc(Max, "5").WithFile(DropIn, "user.max_user_namespaces = 5\n");
        SetAttribute(root.Full(DropIn), "user.origin", "admin");
        var before = Attributes(root.Full(DropIn));
        var set = await Remediation.SetSettingAsync(new SetSettingRequest(Max, "9") { Scope = ChangeScope.Persistent }, root.Context());

        // Changed since: one attribute rewritten, one added.
        SetAttribute(root.Full(DropIn), "user.origin", "someone else");
        SetAttribute(root.Full(DropIn), "user.added", "later");
        await Remediation.RestoreAsync(new RestoreRequest { BackupId = set.BackupId }, root.Context());

        Assert.Equal("user.max_user_namespaces = 5\n", root.Text(DropIn));
        Assert.Equal(before, Attributes(root.Full(DropIn)));
    }

    [UserXattrFact]
    public async Task ARecordWrittenBeforeAttributesWereJournaledStillRestoresAndKeepsTheFilesOwn()
    {
        using var root = new TestRoot().WithProc(Max, "5").WithFile(DropIn, "user.max_user_namespaces = 5\n");
        SetAttribute(root.Full(DropIn), "user.origin", "admin");
        var set = await Remediation.SetSettingAsync(new SetSettingRequest(Max, "9") { Scope = ChangeScope.Persistent }, root.Context());
        var record = Directory.EnumerateFiles(root.Full(ManagedPaths.JournalDir), "*.json", SearchOption.AllDirectories)
            .Single(f => File.ReadAllText(f).Contains(set.BackupId!, StringComparison.Ordinal));
        var json = JsonNode.Parse(File.ReadAllText(record))!;
        var entries = json["entries"]!.AsArray();
        Assert.Contains(entries, e => e!["extendedAttributes"] is JsonObject);
        foreach (var entry in entries)
        {
            entry!.AsObject().Remove("extendedAttributes");
        }

        File.WriteAllText(record, json.ToJsonString());
        SetAttribute(root.Full(DropIn), "user.origin", "kept");

        await Remediation.RestoreAsync(new RestoreRequest { BackupId = set.BackupId }, root.Context());

        Assert.Equal("user.max_user_namespaces = 5\n", root.Text(DropIn));
        Assert.Equal(new[] { ("user.origin", Convert.ToHexString(Encoding.UTF8.GetBytes("kept")).ToLowerInvariant()) }, Attributes(root.Full(DropIn)));
    }

    private static void SetAttribute(string path, string name, string value) => SetAttribute(path, name, Encoding.UTF8.GetBytes(value));

    private static void SetAttribute(string path, string name, byte[] value) =>
        Assert.True(Syscall.setxattr(path, name, value) == 0, $"setxattr {name} on {path}: {Stdlib.GetLastError()}");

    /// <summary>The file's attributes as (name, hex value), sorted by name.</summary>
    private static List<(string Name, string Value)> Attributes(string path) =>
        ExtendedAttributes.Read(path).Select(a => (a.Key, Convert.ToHexString(a.Value).ToLowerInvariant())).OrderBy(a => a.Item1, StringComparer.Ordinal).ToList();
}
