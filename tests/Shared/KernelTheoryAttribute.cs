using Xunit.Sdk;

namespace UsernsTools.Tests;

/// <summary>The theory form of <see cref="KernelFactAttribute"/>, with the same prerequisites and skip rules.</summary>
[XunitTestCaseDiscoverer("Xunit.Sdk.TheoryDiscoverer", "xunit.execution.{Platform}")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class KernelTheoryAttribute : KernelFactAttribute
{
    public KernelTheoryAttribute(params string[] tools)
        : base(tools)
    {
    }
}
