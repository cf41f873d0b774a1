using Xunit;

namespace UsernsTools.Tests;

/// <summary>The theory form of <see cref="KernelFactAttribute"/>: skipped with the reason when a tool is missing, failing under CI.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class KernelTheoryAttribute : TheoryAttribute
{
    public KernelTheoryAttribute(params string[] tools)
    {
        Skip = KernelPrerequisites.SkipReason(tools, requiresRoot: false, requiresUnprivilegedUserns: false);
    }
}
