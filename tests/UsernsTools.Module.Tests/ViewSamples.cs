namespace UsernsTools.Module.Tests;

/// <summary>
/// Real objects for every view, from the recorded fixtures (snapshots, a kernel log, a journal, recorded sandbox
/// results): a script that sets <c>$samples</c>, a hashtable from type name to objects of that type.
/// </summary>
internal static class ViewSamples
{
    public static string Script
    {
        get
        {
            var fixtures = Path.Combine(RepositoryLayout.Root, "tests", "fixtures").Replace("'", "''", StringComparison.Ordinal);
            return $$"""
                $fixtures = '{{fixtures}}'
                function Read-Recorded([string] $Name, [type] $Type) {
                    $context = $Type.Assembly.GetType('UsernsTools.Serialization.UsernsJsonContext', $true).GetProperty('Default').GetValue($null)
                    [System.Text.Json.JsonSerializer]::Deserialize((Get-Content -LiteralPath (Join-Path $fixtures $Name) -Raw), $Type, $context)
                }
                $statuses = @(Get-ChildItem -LiteralPath $fixtures -Filter '*.json' | Sort-Object Name | ForEach-Object { Get-UsernsStatus -FromReport $_.FullName })
                $backups = @(Get-UsernsBackup -Root (Join-Path $fixtures 'journal'))
                $samples = @{
                    'UsernsTools.Diagnosis.UsernsStatus' = $statuses
                    'UsernsTools.Diagnosis.UsernsFinding' = @($statuses.Findings)
                    'UsernsTools.Facts.UsernsSetting' = @($statuses.Facts.Settings)
                    'UsernsTools.Probes.UsernsProbeResult' = @($statuses.Probes)
                    'UsernsTools.Probes.Bwrap.BwrapProbeResult' = @($statuses.BwrapProbes)
                    'UsernsTools.Facts.SubordinateIdRange' = @($statuses.Facts.SubordinateUids) + @($statuses.Facts.SubordinateGids)
                    'UsernsTools.Facts.Denials.UsernsDenial' = @(Get-UsernsDenial -Path (Join-Path $fixtures 'logs/ubuntu-24.04-kernel.log'))
                    'UsernsTools.Configuration.UsernsChange' = @($backups.Changes)
                    'UsernsTools.Configuration.UsernsBackup' = $backups
                    'UsernsTools.Sandbox.NamespacedProcessResult' = @(Read-Recorded 'sandbox/namespaced-process-result.json' ([UsernsTools.Sandbox.NamespacedProcessResult]))
                    'UsernsTools.Sandbox.ProcessNamespace' = @(Read-Recorded 'sandbox/process-namespace.json' ([UsernsTools.Sandbox.ProcessNamespace]))
                }

                """;
        }
    }
}
