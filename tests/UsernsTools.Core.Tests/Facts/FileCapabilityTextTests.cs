using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using UsernsTools.Facts;
using Xunit;

namespace UsernsTools.Tests.Facts;

public sealed class FileCapabilityTextTests
{
    private const int CapSetgid = 6;
    private const int CapSetuid = 7;
    private const int CapSysAdmin = 21;
    private const int CapBpf = 39;

    [Fact]
    public void Version2WithEffectiveFlag()
    {
        Assert.Equal("cap_setuid=ep", FileCapabilityText.Decode(Build(0x02000001, permitted: Bit(CapSetuid))));
    }

    [Fact]
    public void CapabilitiesWithTheSameFlagsShareOneClause()
    {
        Assert.Equal("cap_setgid,cap_setuid=ep", FileCapabilityText.Decode(Build(0x02000001, permitted: Bit(CapSetgid) | Bit(CapSetuid))));
    }

    [Fact]
    public void DifferentFlagsMakeSeparateClausesAndHighWordsCount()
    {
        var text = FileCapabilityText.Decode(Build(0x02000000, permitted: Bit(CapSysAdmin) | Bit(CapBpf), inheritable: Bit(CapSetuid)));
        Assert.Equal("cap_setuid=i cap_sys_admin,cap_bpf=p", text);
    }

    [Fact]
    public void Version3CarriesTheNamespaceRootId()
    {
        Assert.Equal("cap_setuid=ep [rootid=100000]", FileCapabilityText.Decode(Build(0x03000001, permitted: Bit(CapSetuid), rootId: 100000)));
        Assert.Equal("cap_setuid=ep", FileCapabilityText.Decode(Build(0x03000001, permitted: Bit(CapSetuid), rootId: 0)));
    }

    [Fact]
    public void Version1HasOneWord()
    {
        var value = new byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(value, 0x01000001);
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(4), (uint)Bit(CapSetuid));
        Assert.Equal("cap_setuid=ep", FileCapabilityText.Decode(value));
    }

    [Fact]
    public void UnknownRevisionOrShortValueIsNotACapabilitySet()
    {
        Assert.Null(FileCapabilityText.Decode(Build(0x05000001, permitted: 1)));
        Assert.Null(FileCapabilityText.Decode(new byte[] { 1, 0, 0, 2, 0 }));
        Assert.Null(FileCapabilityText.Decode(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void UnnamedCapabilityKeepsItsNumber()
    {
        Assert.Equal("cap_50=p", FileCapabilityText.Decode(Build(0x02000000, permitted: Bit(50))));
    }

    [Fact]
    public void DecodesAsGetcapWrites()
    {
        Assert.Equal("cap_setuid,cap_sys_admin=ep", FileCapabilityText.Decode(Build(0x02000001, permitted: Bit(CapSysAdmin) | Bit(CapSetuid))));
    }

    [Fact]
    public void ParsingWhatWasDecodedGivesTheSameCapabilities()
    {
        var gen =
            from permitted in Gen.Choose(0, int.MaxValue).Select(p => (ulong)(uint)p << 9 | (uint)p)
            from inheritable in Gen.Choose(0, 1 << 12)
            from effective in Gen.Elements(true, false)
            select (permitted, inheritable: (ulong)inheritable, effective);
        Prop.ForAll(Arb.From(gen), t =>
        {
            var text = FileCapabilityText.Decode(Build(0x02000000 | (t.effective ? 1u : 0u), t.permitted, t.inheritable));
            if (t.permitted == 0 && t.inheritable == 0)
            {
                return text == "";
            }

            // The file's effective bit is one flag for every capability it names.
            return TryParse(text, out var p, out var i, out var e)
                && p == t.permitted && i == t.inheritable && e == t.effective;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ArbitraryAttributeBytesNeverThrow()
    {
        Prop.ForAll<byte[]>(bytes =>
        {
            _ = FileCapabilityText.Decode(bytes ?? Array.Empty<byte>());
            return true;
        }).QuickCheckThrowOnFailure();
    }

    private static ulong Bit(int n) => 1UL << n;

    /// <summary>The masks a decoded text stands for (getcap's notation, names or numbers); false when it is not that notation.</summary>
    private static bool TryParse(string? text, out ulong permitted, out ulong inheritable, out bool effective)
    {
        permitted = 0;
        inheritable = 0;
        effective = false;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        foreach (var group in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = group.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return false;
            }

            var flags = group[(eq + 1)..];
            foreach (var cap in group[..eq].Split(','))
            {
                var bit = BitOf(cap);
                if (bit < 0)
                {
                    return false;
                }

                permitted |= flags.Contains('p', StringComparison.Ordinal) ? 1UL << bit : 0;
                inheritable |= flags.Contains('i', StringComparison.Ordinal) ? 1UL << bit : 0;
                effective |= flags.Contains('e', StringComparison.Ordinal);
            }
        }

        return true;
    }

    private static int BitOf(string cap)
    {
        for (var bit = 0; bit < 64; bit++)
        {
            // Each bit decoded alone gives its name ("cap_setuid=p"), or its number past the named ones.
            if (FileCapabilityText.Decode(Build(0x02000000, permitted: Bit(bit))) == cap + "=p")
            {
                return bit;
            }
        }

        return -1;
    }

    private static byte[] Build(uint magic, ulong permitted = 0, ulong inheritable = 0, uint? rootId = null)
    {
        var v3 = (magic & 0xFF000000) == 0x03000000;
        var value = new byte[v3 ? 24 : 20];
        BinaryPrimitives.WriteUInt32LittleEndian(value, magic);
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(4), (uint)permitted);
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(8), (uint)inheritable);
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(12), (uint)(permitted >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(16), (uint)(inheritable >> 32));
        if (v3)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(20), rootId ?? 0);
        }

        return value;
    }
}
