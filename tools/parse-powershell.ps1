#Requires -Version 7.4
<#
.SYNOPSIS
Parses PowerShell files with PowerShell's own parser and prints "ok parse FILE" or "not ok parse FILE:LINE:COLUMN: MESSAGE"
for each; exits 1 when any file has a syntax error.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory, ValueFromRemainingArguments)]
    [string[]]
    $Path
)

$failed = $false
foreach ($file in $Path) {
    $errors = $null
    [void][System.Management.Automation.Language.Parser]::ParseFile((Resolve-Path -LiteralPath $file).ProviderPath, [ref]$null, [ref]$errors)
    $shown = $file -replace '^\./', ''
    if ($errors) {
        $failed = $true
        foreach ($e in $errors) {
            "not ok parse ${shown}:$($e.Extent.StartLineNumber):$($e.Extent.StartColumnNumber): $($e.Message)"
        }
    }
    else {
        "ok parse $shown"
    }
}
exit ([int]$failed)
