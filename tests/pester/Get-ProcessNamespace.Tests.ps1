#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5.0' }

BeforeAll {
    $root = (Resolve-Path -LiteralPath "$PSScriptRoot/../..").Path
    $version = (Import-PowerShellDataFile -Path "$root/UsernsTools.psd1").ModuleVersion
    Import-Module -Name "$root/out/UsernsTools/$version/UsernsTools.psd1" -Force
}

Describe 'Get-ProcessNamespace' {
    Context 'This session' {
        It 'describes the PowerShell process by default, isolated from nothing' {
            $ns = Get-ProcessNamespace
            $ns | Should -BeOfType ([UsernsTools.Sandbox.ProcessNamespace])
            $ns.ProcessId | Should -Be $PID
            "$($ns.IsolatedFrom)" | Should -Be 'None'
            $ns.UserNamespace | Should -BeGreaterThan 0
        }
    }

    Context 'Pipeline input by property name' {
        It 'takes the Id of a piped <Source>' -TestCases @(
            @{ Source = 'Get-Process result'; Make = { Get-Process -Id $PID } }
            @{ Source = 'object with an Id property'; Make = { [pscustomobject]@{ Id = $PID } } }
        ) {
            (& $Make | Get-ProcessNamespace).ProcessId | Should -Be $PID
        }
    }

    Context 'A sandboxed process' {
        It 'is isolated in the kinds the sandbox created' {
            $marker = "1000.$(Get-Random -Minimum 100000 -Maximum 999999)"
            $module = (Get-Module -Name UsernsTools).Path
            $job = Start-ThreadJob -ArgumentList $marker, $module -ScriptBlock {
                param($m, $modulePath)
                Import-Module -Name $modulePath
                Invoke-NamespacedProcess sleep $m -MapRootUser -Namespace 'Pid', 'Net' -Timeout 60
            }
            try {
                $sleeper = $null
                for ($i = 0; $i -lt 100 -and -not $sleeper; $i++) {
                    Start-Sleep -Milliseconds 100
                    $sleeper = Get-Process -Name sleep -ErrorAction SilentlyContinue | Where-Object { $_.CommandLine -like "*$marker*" }
                }
                $sleeper | Should -Not -BeNullOrEmpty
                $isolated = ($sleeper | Get-ProcessNamespace).IsolatedFrom
                foreach ($kind in 'User', 'Pid', 'Net') {
                    $isolated.HasFlag([UsernsTools.Sandbox.NamespaceKind]$kind) | Should -BeTrue
                }
            }
            finally {
                $job | Stop-Job -PassThru | Remove-Job -Force
            }
        }
    }

    Context 'Errors' {
        It 'writes a ProcessNotFound error for an unknown id and goes on' {
            $found = Get-ProcessNamespace -Id 999999999, $PID -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'ProcessNotFound*'
            $err[0].TargetObject | Should -Be 999999999
            $found.ProcessId | Should -Be $PID
        }
    }
}
