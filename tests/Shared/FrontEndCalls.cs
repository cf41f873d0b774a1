using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace UsernsTools.Tests;

/// <summary>
/// What a front end's assembly calls in the engine, read from its metadata: the types of UsernsTools.Core whose static
/// members it references. The front ends are thin: every operation goes through the engine's doors.
/// </summary>
internal static class FrontEndCalls
{
    /// <summary>The doors DESIGN names: reading and diagnosing, changing and undoing, running sandboxes, and DSC.</summary>
    public static readonly IReadOnlySet<string> Doors = new HashSet<string>(StringComparer.Ordinal)
    {
        "UsernsTools.UsernsEngine",
        "UsernsTools.Configuration.Remediation",
        "UsernsTools.Sandbox.Sandboxes",
        "UsernsTools.Configuration.DscResource",
    };

    /// <summary>
    /// Types of the engine whose static members front ends may use besides the doors. None performs an operation on
    /// the machine: each renders, names, parses or checks what the user typed, or lists what tab completion offers.
    /// </summary>
    public static readonly IReadOnlySet<string> Vocabulary = new HashSet<string>(StringComparer.Ordinal)
    {
        // How results are shown: escaped text, each front end's words, the narrative, JSON, an argv as a line, and the
        // command's standard output they are written to.
        "UsernsTools.Display.TerminalText",
        "UsernsTools.Configuration.FrontEndWords",
        "UsernsTools.Diagnosis.DiagnosisNarrative",
        "UsernsTools.Serialization.UsernsJsonContext",
        "UsernsTools.Sandbox.ArgvText",
        "UsernsTools.Platform.DescriptorOutputStream",

        // What probe results answer (-Quiet, exit codes).
        "UsernsTools.Probes.ProbeVerdicts",

        // What the user typed, parsed and checked as the engine will: names, run options, timeouts, -Root, and the
        // bytes behind the words and variables .NET decoded.
        "UsernsTools.Facts.SettingNames",
        "UsernsTools.Facts.SettingCatalog",
        "UsernsTools.Sandbox.RunOptionText",
        "UsernsTools.Platform.TimeoutLimits",
        "UsernsTools.Platform.RootedPath",
        "UsernsTools.Platform.ProcessBytes",

        // What tab completion lists: accounts and commands.
        "UsernsTools.Platform.PasswdFile",
        "UsernsTools.Platform.PathLookup",
    };

    /// <summary>Full names of the types of <paramref name="core"/> whose static members <paramref name="frontEndPath"/> references.</summary>
    public static IReadOnlyList<string> StaticClassesCalled(string frontEndPath, Assembly core)
    {
        ArgumentNullException.ThrowIfNull(core);
        using var stream = File.OpenRead(frontEndPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var coreName = core.GetName().Name;
        var called = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var handle in metadata.MemberReferences)
        {
            var member = metadata.GetMemberReference(handle);
            if (member.Parent.Kind != HandleKind.TypeReference)
            {
                continue;
            }

            var type = metadata.GetTypeReference((TypeReferenceHandle)member.Parent);
            if (type.ResolutionScope.Kind != HandleKind.AssemblyReference
                || metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope).Name) != coreName)
            {
                continue;
            }

            // A static member is an operation or a shared value; instance members belong to objects the doors return.
            if (!metadata.GetBlobReader(member.Signature).ReadSignatureHeader().IsInstance)
            {
                called.Add(metadata.GetString(type.Namespace) + "." + metadata.GetString(type.Name));
            }
        }

        return called.ToList();
    }
}
