using System.Diagnostics;
using UsernsTools.Sandbox;
using Xunit;

namespace UsernsTools.Tests.Sandbox;

/// <summary>What /proc/PID/stat tells of a process.</summary>
public class ProcessTableTests
{
    [Fact]
    public void WaitedChildrenTicksHoldTheCpuOfAChildOnceItIsReaped()
    {
        var before = ProcessTable.ReadWaitedChildrenTicks(Environment.ProcessId);
        Assert.NotNull(before);

        // About half a second of CPU in a child (clock ticks are 10 ms): the count grows once the child is waited for.
        using (var child = Process.Start(new ProcessStartInfo("sh") { ArgumentList = { "-c", "i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done" } })!)
        {
            child.WaitForExit();
            Assert.Equal(0, child.ExitCode);
        }

        var after = ProcessTable.ReadWaitedChildrenTicks(Environment.ProcessId);
        Assert.NotNull(after);
        Assert.True(after - before >= 10, $"children's CPU grew by {after - before} ticks");
    }

    [Fact]
    public void WaitedChildrenTicksOfAProcessThatIsNotThereAreNull()
    {
        Assert.Null(ProcessTable.ReadWaitedChildrenTicks(int.MaxValue));
    }
}
