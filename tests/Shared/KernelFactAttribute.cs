using Xunit;

namespace UsernsTools.Tests;

/// <summary>
/// A fact that runs real helpers on the real kernel. It is skipped, with the reason, when something it needs is
/// absent; but under CI (<c>CI=true</c>) a missing tool that CI installs is not skipped, so the test fails loudly
/// at <see cref="KernelPrerequisites.Tool"/> instead of passing unnoticed.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute(params string[] tools)
    {
        Tools = tools;
        Skip = KernelPrerequisites.SkipReason(tools, requiresRoot: false, requiresUnprivilegedUserns: false);
    }

    public IReadOnlyList<string> Tools { get; }

    /// <summary>The test diagnoses another user from root (setpriv), or needs root's own capabilities.</summary>
    public bool RequiresRoot
    {
        get => _requiresRoot;
        set
        {
            _requiresRoot = value;
            Skip = KernelPrerequisites.SkipReason(Tools, _requiresRoot, _requiresUnprivilegedUserns);
        }
    }

    /// <summary>The test expects an unprivileged user to be allowed to create and map user namespaces on this host.</summary>
    public bool RequiresUnprivilegedUserns
    {
        get => _requiresUnprivilegedUserns;
        set
        {
            _requiresUnprivilegedUserns = value;
            Skip = KernelPrerequisites.SkipReason(Tools, _requiresRoot, _requiresUnprivilegedUserns);
        }
    }

    private bool _requiresRoot;
    private bool _requiresUnprivilegedUserns;
}
