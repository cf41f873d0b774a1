using Xunit;

namespace UsernsTools.Module.Tests;

/// <summary>
/// What a user gets back from Export-Clixml/Import-Clixml, Start-Job and remoting (one serializer, depth 1 for jobs
/// and remoting): enums that compare equal to their names, and nested objects that read as values, not type names.
/// Start-Job needs a pwsh executable beside System.Management.Automation, which a hosted runspace does not have: here a
/// depth-1 PSSerializer round trip stands for it (the serializer jobs and remoting use, at their default depth), and
/// tests/pester/Get-UsernsStatus.Tests.ps1 runs a real Start-Job.
/// </summary>
public sealed class SerializationTests : IDisposable
{
    private readonly ModuleRunspace _pwsh = new();

    public void Dispose() => _pwsh.Dispose();

    [Fact]
    public void EveryEnumOfEveryOutputObjectComparesEqualToItsNameAfterDeserialization()
    {
        // Every enum type reachable from the cmdlets' output types, through properties and lists.
        var (output, errors) = _pwsh.Run("""
            $queue = [System.Collections.Generic.Queue[type]]::new()
            Get-Command -Module UsernsTools | ForEach-Object { $_.OutputType.Type } | Where-Object { $_ -and $_.Namespace -like 'UsernsTools*' } | ForEach-Object { $queue.Enqueue($_) }
            $seen = @{}
            while ($queue.Count) {
                $t = $queue.Dequeue()
                if ($seen.ContainsKey($t.FullName)) { continue }
                $seen[$t.FullName] = $t
                foreach ($p in $t.GetProperties()) {
                    $pt = $p.PropertyType
                    if ($pt.IsGenericType) { $pt = $pt.GetGenericArguments()[0] }
                    if ([Nullable]::GetUnderlyingType($pt)) { $pt = [Nullable]::GetUnderlyingType($pt) }
                    if ($pt.Namespace -like 'UsernsTools*') { $queue.Enqueue($pt) }
                }
            }
            $file = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-enums-$([guid]::NewGuid()).xml"
            try {
                foreach ($enum in $seen.Values | Where-Object IsEnum | Sort-Object FullName) {
                    foreach ($value in [Enum]::GetValues($enum)) {
                        $live = [pscustomobject]@{ Value = $value }
                        $live | Export-Clixml -LiteralPath $file
                        $fromFile = Import-Clixml -LiteralPath $file
                        $fromJob = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($live, 1))
                        [pscustomobject]@{
                            Name = "$($enum.FullName).$value"
                            LiveIsTyped = $live.Value -is $enum
                            FromFile = $fromFile.Value -eq $value.ToString()
                            FromJob = $fromJob.Value -eq $value.ToString()
                        }
                    }
                }
            } finally { Remove-Item -LiteralPath $file -ErrorAction Ignore }
            """);
        Assert.Empty(errors);
        var names = output.Select(o => ModuleRunspace.Property<string>(o, "Name")).ToList();
        Assert.Contains("UsernsTools.Diagnosis.Verdict.Limited", names);
        Assert.True(names.Select(n => n[..n.LastIndexOf('.')]).Distinct().Count() >= 17, string.Join(", ", names));
        Assert.All(output, o =>
        {
            var name = ModuleRunspace.Property<string>(o, "Name");
            Assert.True(ModuleRunspace.Property<bool>(o, "LiveIsTyped"), $"{name}: not an enum on the live object");
            Assert.True(ModuleRunspace.Property<bool>(o, "FromFile"), $"{name}: not equal to its name after Import-Clixml");
            Assert.True(ModuleRunspace.Property<bool>(o, "FromJob"), $"{name}: not equal to its name after a depth-1 round trip (job, remoting)");
        });
    }

    [Theory]
    [InlineData("Export-Clixml")]
    [InlineData("depth 1")]
    public void AStatusReceivedComparesItsEnumsByName(string how)
    {
        var fixture = Path.Combine(RepositoryLayout.Root, "tests", "fixtures", "ubuntu-24.04-bwrap-uid-map.json");
        var (output, errors) = _pwsh.Run("""
            $live = Get-UsernsStatus -FromReport $fixture
            $received = switch ($how) {
                'Export-Clixml' {
                    $file = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-status-$([guid]::NewGuid()).xml"
                    $live | Export-Clixml -LiteralPath $file; Import-Clixml -LiteralPath $file; Remove-Item -LiteralPath $file
                }
                'depth 1' { [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($live, 1)) }
            }
            $received.pstypenames[0]
            $live.Verdict -is [UsernsTools.Diagnosis.Verdict]
            $received.Verdict -eq 'Limited'
            $received.Findings[0].Severity -eq 'Blocking'
            $received.Probes[1].Stage -eq 'Map'
            $received.Probes[1].Errno -eq 'EPERM'
            $received.BwrapProbes[0].Mode -eq 'Strict'
            $received.BwrapProbes[0].ErrorKind -eq 'UidMapDenied'
            $received.Denials[0].Source -eq 'AppArmor'
            $received.Denials[0].Kind -eq 'AppArmorCapabilityDenied'
            $received.Facts.Environment.Container -eq 'None'
            # The gate a compliance script writes: it must not pass on a Limited machine.
            @($received | Where-Object Verdict -ne 'Available').Count -eq 1
            """, new Dictionary<string, object?> { ["fixture"] = fixture, ["how"] = how });
        Assert.Empty(errors);
        Assert.Equal("Deserialized.UsernsTools.Diagnosis.UsernsStatus", output[0].ToString());
        Assert.All(output.Skip(1), o => Assert.True((bool)o.BaseObject));
        Assert.Equal(12, output.Count);
    }

    [Theory]
    [InlineData("Export-Clixml")]
    [InlineData("depth 1")]
    [InlineData("live")]
    public void FormatListShowsNestedObjectsAsValuesNotTypeNames(string how)
    {
        var (output, errors) = _pwsh.Run(ViewSamples.Script + """
            $status = $statuses | Where-Object { $_.BwrapProbes.Count -and $_.Denials.Count } | Select-Object -First 1
            $objects = @(
                $status
                $status.Facts
                $status.Findings[0]
                $status.BwrapProbes[0]
                $status.Facts.SecurityModules
                $samples['UsernsTools.Facts.UsernsSetting'] | Where-Object { $_.Shadowed.Count } | Select-Object -First 1
                $samples['UsernsTools.Configuration.UsernsBackup'][0]
                $samples['UsernsTools.Sandbox.ProcessNamespace'][0]
            )
            $received = switch ($how) {
                'live' { $objects }
                'Export-Clixml' {
                    $file = Join-Path ([System.IO.Path]::GetTempPath()) "usernstools-list-$([guid]::NewGuid()).xml"
                    $objects | Export-Clixml -LiteralPath $file; Import-Clixml -LiteralPath $file; Remove-Item -LiteralPath $file
                }
                'depth 1' { $objects | ForEach-Object { [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($_, 1)) } }
            }
            foreach ($o in $received) {
                [pscustomobject]@{ Type = $o.pstypenames[0]; View = $o | Format-List | Out-String -Width 120; All = $o | Format-List -Property * | Out-String -Width 120 }
            }
            """, new Dictionary<string, object?> { ["how"] = how });
        Assert.Empty(errors);
        Assert.Equal(8, output.Count);
        foreach (var o in output)
        {
            var type = ModuleRunspace.Property<string>(o, "Type");
            foreach (var text in new[] { ModuleRunspace.Property<string>(o, "View"), ModuleRunspace.Property<string>(o, "All") })
            {
                Assert.True(text.Trim().Length > 0, type);
                // A nested object shown by its type name (UsernsTools.Facts.UsernsSubject) tells the reader nothing.
                Assert.DoesNotMatch(@"UsernsTools\.[A-Za-z.]+", text);
            }
        }
    }
}
