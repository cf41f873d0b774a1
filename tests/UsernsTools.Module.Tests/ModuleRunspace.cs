using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace UsernsTools.Module.Tests;

/// <summary>
/// A real PowerShell runspace (Microsoft.PowerShell.SDK) with the built module folder imported, as a user imports it.
/// Each call runs a script in a fresh PowerShell instance on one shared runspace per test class instance.
/// </summary>
public sealed class ModuleRunspace : IDisposable
{
    private readonly Runspace _runspace;

    public ModuleRunspace()
    {
        // No ExecutionPolicy on the session state: on Linux setting it throws PlatformNotSupportedException.
        _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        _runspace.Open();
        using var import = PowerShell.Create(_runspace);
        import.AddCommand("Import-Module").AddParameter("Name", Path.Combine(RepositoryLayout.ModuleDirectory, "UsernsTools.psd1")).AddParameter("ErrorAction", "Stop");
        import.Invoke();
    }

    /// <summary>Runs the script; returns its output and the error records it wrote (non-terminating ones).</summary>
    public (Collection<PSObject> Output, IReadOnlyList<ErrorRecord> Errors) Run(string script, IDictionary<string, object?>? variables = null)
    {
        using var shell = PowerShell.Create(_runspace);
        if (variables is not null)
        {
            foreach (var (name, value) in variables)
            {
                _runspace.SessionStateProxy.SetVariable(name, value);
            }
        }

        shell.AddScript(script);
        var output = shell.Invoke();
        return (output, shell.Streams.Error.ToList());
    }

    /// <summary>Runs the script and returns its output rendered as a string (e.g. through Out-String -Width 120).</summary>
    public string Text(string script) => string.Concat(Run(script).Output.Select(o => o.BaseObject as string ?? o.ToString()));

    /// <summary>A property of an output object, converted as PowerShell converts it.</summary>
    public static T Property<T>(PSObject item, string name) => LanguagePrimitives.ConvertTo<T>(item.Properties[name].Value);

    public void Dispose() => _runspace.Dispose();
}
