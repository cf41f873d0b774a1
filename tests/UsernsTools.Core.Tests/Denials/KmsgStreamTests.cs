using System.Globalization;
using System.Text;
using UsernsTools.Facts.Denials;
using Xunit;

namespace UsernsTools.Tests.Denials;

/// <summary>The real kernel ring buffer, read as the status reads it: whole records, several to a read, none cut or lost.</summary>
public class KmsgStreamTests
{
    [KernelFact(RequiresRoot = true)]
    public void EachReadGivesManyWholeRecordsAndTheirSequenceRunsOn()
    {
        using var stream = KmsgStream.TryOpen("/dev/kmsg", out var error) ?? throw new InvalidOperationException($"/dev/kmsg: errno {error}");
        var text = new StringBuilder();
        var reads = 0;
        var buffer = new byte[8192];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            reads++;
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }

        // Every record is "priority,sequence,microseconds,flags;message", then its dictionary lines (" KEY=value").
        var records = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith(' ')).ToList();
        Assert.True(records.Count >= 2, "the ring buffer holds at least the boot messages");
        var sequence = records.Select(r => long.Parse(r.Split(',')[1], CultureInfo.InvariantCulture)).ToList();
        Assert.All(records, r => Assert.Matches(@"^\d+,\d+,\d+,[^;]*;", r));
        Assert.True(sequence.Zip(sequence.Skip(1)).All(p => p.Second > p.First), "records come in order, none cut in two");
        Assert.True(reads < records.Count, $"{reads} reads for {records.Count} records: a read should carry many records");
    }

    [KernelFact(RequiresRoot = true)]
    public void ARecordLargerThanWhatIsAskedForComesInPieces()
    {
        using var stream = KmsgStream.TryOpen("/dev/kmsg", out var error) ?? throw new InvalidOperationException($"/dev/kmsg: errno {error}");
        var pieces = new List<string>();
        var buffer = new byte[7];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0 && pieces.Count < 64)
        {
            Assert.True(n <= buffer.Length);
            pieces.Add(Encoding.UTF8.GetString(buffer, 0, n));
        }

        Assert.Matches(@"^\d+,\d+,\d+,[^;]*;", string.Concat(pieces));
    }
}
