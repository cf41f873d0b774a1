using FsCheck;
using FsCheck.Fluent;
using UsernsTools.Probes.Bwrap;
using Xunit;

namespace UsernsTools.Tests.Bwrap;

public class FileCapabilityTextTests
{
    [Fact]
    public void DecodesAsGetcapWrites()
    {
        var value = FileCapabilityText.Encode(permitted: 1UL << 21 | 1UL << 7, inheritable: 0, effective: true);
        Assert.Equal("cap_setuid,cap_sys_admin=ep", FileCapabilityText.Decode(value));
    }

    [Fact]
    public void ParsingWhatWasFormattedGivesTheSameCapabilities()
    {
        var gen =
            from permitted in Gen.Choose(0, int.MaxValue).Select(p => (ulong)(uint)p << 9 | (uint)p)
            from inheritable in Gen.Choose(0, 1 << 12)
            from effective in Gen.Elements(true, false)
            select (permitted, inheritable: (ulong)inheritable, effective);
        Prop.ForAll(Arb.From(gen), t =>
        {
            var text = FileCapabilityText.Decode(FileCapabilityText.Encode(t.permitted, t.inheritable, t.effective));
            if (t.permitted == 0 && t.inheritable == 0)
            {
                return text is null;
            }

            return FileCapabilityText.TryParse(text, out var p, out var i, out var e)
                && p == t.permitted && i == t.inheritable && e == (t.effective && t.permitted != 0);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ArbitraryAttributeBytesAndTextNeverThrow()
    {
        Prop.ForAll<byte[]>(bytes => FileCapabilityText.Decode(bytes ?? Array.Empty<byte>()) is null or { Length: > 0 }).QuickCheckThrowOnFailure();
        Prop.ForAll<string>(text => FileCapabilityText.TryParse(text, out _, out _, out _) || true).QuickCheckThrowOnFailure();
    }
}
