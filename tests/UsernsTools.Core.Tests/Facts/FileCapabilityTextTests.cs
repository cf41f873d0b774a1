using System.Buffers.Binary;
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

    private static ulong Bit(int n) => 1UL << n;

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
