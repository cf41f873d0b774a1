using System.IO.Pipes;
using Mono.Unix.Native;
using UsernsTools.Platform;
using Xunit;

namespace UsernsTools.Tests;

/// <summary>The command's standard output: every byte in order, a reader that left is no error, a non-blocking descriptor is waited for.</summary>
public sealed class DescriptorOutputStreamTests
{
    private static readonly byte[] s_report = Enumerable.Range(0, 300_000).Select(i => (byte)(i % 251)).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WritesEveryByteInOrderThroughAPipeSmallerThanTheOutput(bool nonBlocking)
    {
        using var reader = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
        using var writeEnd = reader.ClientSafePipeHandle;
        var fd = (int)writeEnd.DangerousGetHandle();
        if (nonBlocking)
        {
            Assert.Equal(0, Syscall.fcntl(fd, FcntlCommand.F_SETFL, (int)OpenFlags.O_NONBLOCK));
        }

        var received = new MemoryStream();
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            int n;
            while ((n = await reader.ReadAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, n);

                // A slow reader: the pipe (64 KiB) fills, and a non-blocking write meets EAGAIN.
                await Task.Delay(1);
            }
        });

        var stream = new DescriptorOutputStream(fd);
        stream.Write(s_report, 0, s_report.Length);
        Assert.False(stream.ReaderGone);
        reader.DisposeLocalCopyOfClientHandle();
        writeEnd.Dispose();
        await reading.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(s_report, received.ToArray());
    }

    [Fact]
    public void AReaderThatLeftIsNoErrorAndTheRestIsDropped()
    {
        var reader = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
        using var writeEnd = reader.ClientSafePipeHandle;
        reader.Dispose();
        var stream = new DescriptorOutputStream((int)writeEnd.DangerousGetHandle());

        stream.Write(s_report, 0, 10);
        stream.Write(s_report, 0, s_report.Length);

        Assert.True(stream.ReaderGone);
    }

    [Fact]
    public void ADescriptorThatIsNotOpenIsAnError()
    {
        var stream = new DescriptorOutputStream(int.MaxValue - 1);
        var error = Assert.Throws<UsernsException>(() => stream.Write(s_report, 0, 1));
        Assert.Equal("OutputNotWritten", error.ErrorId);
        Assert.Equal(UsernsErrorCategory.WriteError, error.Category);
        Assert.Equal($"Cannot write to descriptor {int.MaxValue - 1}: Bad file descriptor.", error.Message);
    }
}
