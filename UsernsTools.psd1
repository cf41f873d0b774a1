@{
    RootModule           = 'UsernsTools.dll'
    # Imported before the root module: it picks the engine build for this runtime (see src/UsernsTools.Loader).
    NestedModules        = @('UsernsTools.Loader.dll')
    ModuleVersion        = '0.1.0'
    GUID                 = '5a0f3c8e-7d1b-4c8e-9f26-2b7e4d9a61c3'
    Author               = 'UsernsTools contributors'
    CompanyName          = 'UsernsTools contributors'
    Copyright            = 'Copyright (c) UsernsTools contributors. MIT License.'
    Description          = 'Diagnoses whether unprivileged user namespaces (and bubblewrap, rootless Podman, Flatpak) work on a Linux machine, explains why not, and fixes it least privilege first.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    # Where Update-Help looks for newer help; the help of this version ships in en-US/.
    HelpInfoURI          = 'https://github.com/usernstools/UsernsTools/tree/main/docs/en-US'
    FormatsToProcess     = @('UsernsTools.Format.ps1xml')
    TypesToProcess       = @('UsernsTools.Types.ps1xml')
    CmdletsToExport      = @(
        'Disable-UnprivilegedUserns'
        'Enable-UnprivilegedUserns'
        'Get-ProcessNamespace'
        'Get-SubordinateIdRange'
        'Get-UsernsBackup'
        'Get-UsernsDenial'
        'Get-UsernsSetting'
        'Get-UsernsStatus'
        'Invoke-NamespacedProcess'
        'Restore-UsernsConfiguration'
        'Set-UsernsSetting'
        'Test-BwrapUidMap'
        'Test-UserNamespace'
        'Test-UsernsSetting'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Linux', 'PSEdition_Core', 'namespaces', 'bubblewrap', 'sandbox', 'security', 'userns', 'podman', 'flatpak')
            ProjectUri   = 'https://github.com/usernstools/UsernsTools'
            LicenseUri   = 'https://github.com/usernstools/UsernsTools/blob/main/LICENSE'
            ReleaseNotes = 'First release: Get-UsernsStatus (with bubblewrap probes and denial evidence), Get-UsernsSetting, Test-UserNamespace, Test-BwrapUidMap, Get-UsernsDenial, Get-SubordinateIdRange; Set-/Test-UsernsSetting, Enable-/Disable-UnprivilegedUserns, Get-UsernsBackup and Restore-UsernsConfiguration with a journal.'
        }
    }
}
