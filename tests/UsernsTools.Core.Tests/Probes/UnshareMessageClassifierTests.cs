using UsernsTools.Probes;
using Xunit;

namespace UsernsTools.Tests.Probes;

public class UnshareMessageClassifierTests
{
    [Theory]
    // util-linux unshare(2) failures, one per errno of KNOWLEDGE.md section 3.
    [InlineData("unshare: unshare failed: Operation not permitted", ProbeStage.Create, Errno.EPERM)]
    [InlineData("unshare: unshare failed: Permission denied", ProbeStage.Create, Errno.EACCES)]
    [InlineData("unshare: unshare failed: No space left on device", ProbeStage.Create, Errno.ENOSPC)]
    [InlineData("unshare: unshare failed: Too many users", ProbeStage.Create, Errno.EUSERS)]
    [InlineData("unshare: unshare failed: Invalid argument", ProbeStage.Create, Errno.EINVAL)]
    [InlineData("unshare: unshare failed: Function not implemented", ProbeStage.Create, Errno.ENOSYS)]
    [InlineData("unshare: fork failed: Resource temporarily unavailable", ProbeStage.Create, Errno.Unknown)]
    // BusyBox prints the flags it passed to unshare(2), with or without its applet prefix.
    [InlineData("unshare(0x10000000): Operation not permitted", ProbeStage.Create, Errno.EPERM)]
    [InlineData("unshare: unshare(0x10000000): Operation not permitted", ProbeStage.Create, Errno.EPERM)]
    [InlineData("unshare: unshare(0x50000000): No space left on device", ProbeStage.Create, Errno.ENOSPC)]
    // Mapping: util-linux.
    [InlineData("unshare: write failed /proc/self/uid_map: Operation not permitted", ProbeStage.Map, Errno.EPERM)]
    [InlineData("unshare: write failed /proc/self/gid_map: Operation not permitted", ProbeStage.Map, Errno.EPERM)]
    [InlineData("unshare: write failed /proc/self/setgroups: Permission denied", ProbeStage.Map, Errno.EACCES)]
    [InlineData("unshare: cannot open /proc/self/setgroups: Permission denied", ProbeStage.Map, Errno.EACCES)]
    [InlineData("unshare: cannot open /proc/self/uid_map: No such file or directory", ProbeStage.Map, Errno.ENOENT)]
    [InlineData("unshare: cannot open /proc/self/gid_map: Permission denied", ProbeStage.Map, Errno.EACCES)]
    [InlineData("unshare: setgroups failed: Operation not permitted", ProbeStage.Map, Errno.EPERM)]
    // Mapping: BusyBox and shadow's helpers.
    [InlineData("unshare: can't open '/proc/self/uid_map': Permission denied", ProbeStage.Map, Errno.EACCES)]
    [InlineData("unshare: can't open '/proc/self/setgroups': Permission denied", ProbeStage.Map, Errno.EACCES)]
    [InlineData("unshare: write error: Operation not permitted", ProbeStage.Map, Errno.EPERM)]
    [InlineData("newuidmap: write to uid_map failed: Operation not permitted", ProbeStage.Map, Errno.EPERM)]
    [InlineData("newuidmap: open of uid_map failed: Permission denied", ProbeStage.Map, Errno.EACCES)]
    [InlineData("newgidmap: write to gid_map failed: Operation not permitted", ProbeStage.Map, Errno.EPERM)]
    // Using capabilities inside: propagation, /proc, time offsets.
    [InlineData("unshare: cannot change root filesystem propagation: Permission denied", ProbeStage.Use, Errno.EACCES)]
    [InlineData("unshare: cannot change root filesystem propagation: Operation not permitted", ProbeStage.Use, Errno.EPERM)]
    [InlineData("unshare: mount /proc failed: Operation not permitted", ProbeStage.Use, Errno.EPERM)]
    [InlineData("unshare: umount /proc failed: Invalid argument", ProbeStage.Use, Errno.EINVAL)]
    [InlineData("unshare: can't mount none on / (flags:0x44000): Permission denied", ProbeStage.Use, Errno.EACCES)]
    [InlineData("unshare: can't mount proc on /proc (flags:0xe): Operation not permitted", ProbeStage.Use, Errno.EPERM)]
    [InlineData("unshare: failed to write to /proc/self/timens_offsets: Permission denied", ProbeStage.Use, Errno.EACCES)]
    // setpriv fails before any namespace exists, whatever it names.
    [InlineData("setpriv: setresuid failed: Operation not permitted", ProbeStage.Launch, Errno.EPERM)]
    [InlineData("setpriv: setresgid failed: Operation not permitted", ProbeStage.Launch, Errno.EPERM)]
    [InlineData("setpriv: setgroups failed: Operation not permitted", ProbeStage.Launch, Errno.EPERM)]
    [InlineData("setpriv: failed to execute /usr/bin/unshare: No such file or directory", ProbeStage.Launch, Errno.ENOENT)]
    [InlineData("setpriv: failed to execute /usr/bin/unshare: Permission denied", ProbeStage.Launch, Errno.EACCES)]
    [InlineData("setpriv: uid 4242 not found, --init-groups requires an user that can be found on the system", ProbeStage.Launch, Errno.Unknown)]
    // unshare itself cannot run the command, or is too old for an option.
    [InlineData("unshare: failed to execute true: No such file or directory", ProbeStage.Launch, Errno.ENOENT)]
    [InlineData("unshare: unrecognized option '--time'", ProbeStage.Launch, Errno.Unknown)]
    [InlineData("unshare: invalid option -- 'T'", ProbeStage.Launch, Errno.Unknown)]
    [InlineData("unshare: unrecognized option '--cgroup'", ProbeStage.Launch, Errno.Unknown)]
    // Unknown errno wording still keeps the step the message names.
    [InlineData("unshare: unshare failed: Cannot allocate memory", ProbeStage.Create, Errno.Unknown)]
    [InlineData("unshare: write failed /proc/self/uid_map: Bad address", ProbeStage.Map, Errno.Unknown)]
    [InlineData("unshare: mount /proc failed: Device or resource busy", ProbeStage.Use, Errno.Unknown)]
    public void NamesTheStageAndErrno(string message, ProbeStage stage, Errno errno)
    {
        var failure = UnshareMessageClassifier.Classify(message);

        Assert.Equal(stage, failure.Stage);
        Assert.Equal(errno, failure.Errno);
        Assert.True(failure.Recognized);
    }

    [Theory]
    [InlineData("something unexpected: Operation not permitted", Errno.EPERM)]
    [InlineData("Killed", Errno.Unknown)]
    [InlineData("", Errno.Unknown)]
    [InlineData(null, Errno.Unknown)]
    public void WordingThatNamesNoStepIsNotRecognised(string? message, Errno errno)
    {
        var failure = UnshareMessageClassifier.Classify(message);

        Assert.False(failure.Recognized);
        Assert.Equal(errno, failure.Errno);

        // A failure needs a stage; unshare's first step is creating, so that is the guess, flagged as one.
        Assert.Equal(ProbeStage.Create, failure.Stage);
    }

    [Fact]
    public void PicksTheLineThatNamesAStepOverWrapperNoise()
    {
        var stderr = "sh: 1: cannot create /tmp/x: Read-only file system\nunshare: unshare failed: No space left on device\n";

        var (line, failure) = UnshareMessageClassifier.ClassifyOutput(stderr);

        Assert.Equal("unshare: unshare failed: No space left on device", line);
        Assert.Equal(new ClassifiedFailure(ProbeStage.Create, Errno.ENOSPC, true), failure);
    }

    [Fact]
    public void KeepsTheFirstExplainingLineOfSeveral()
    {
        var stderr = "unshare: unrecognized option '--time'\nTry 'unshare --help' for more information.\n";

        var (line, failure) = UnshareMessageClassifier.ClassifyOutput(stderr);

        Assert.Equal("unshare: unrecognized option '--time'", line);
        Assert.Equal(ProbeStage.Launch, failure.Stage);
    }

    [Fact]
    public void FallsBackToTheFirstNonBlankLineVerbatim()
    {
        var (line, failure) = UnshareMessageClassifier.ClassifyOutput("\r\n  \n  odd  message\r\nsecond\n");

        Assert.Equal("  odd  message", line);
        Assert.False(failure.Recognized);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n\t\n")]
    [InlineData(null)]
    public void NoMessageWhenStandardErrorIsEmpty(string? stderr)
    {
        var (line, _) = UnshareMessageClassifier.ClassifyOutput(stderr);

        Assert.Null(line);
    }
}
