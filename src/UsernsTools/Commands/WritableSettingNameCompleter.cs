using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using UsernsTools.Facts;

namespace UsernsTools.Module.Commands;

/// <summary>
/// Completes the setting names Set-UsernsSetting and Test-UsernsSetting accept: the sysctls, not the RHEL 7 boot
/// switch, which they refuse with BootOptionRequired.
/// </summary>
public sealed class WritableSettingNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters) =>
        SettingNameCompleter.Complete(SettingCatalog.Writable.Select(d => d.Name), wordToComplete);
}
