using System.Management.Automation;
using UsernsTools.Configuration;
using UsernsTools.Platform;

namespace UsernsTools.Module.Commands;

/// <summary>Whether a sysctl has a value in the running kernel and/or at boot (after the sysctl precedence rules).</summary>
[Cmdlet(VerbsDiagnostic.Test, "UsernsSetting")]
[OutputType(typeof(bool))]
public sealed class TestUsernsSettingCommand : UsernsCmdletBase
{
    /// <summary>The sysctl name, e.g. user.max_user_namespaces.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Setting")]
    [ArgumentCompleter(typeof(WritableSettingNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The value expected.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("RecommendedValue")]
    public string? Value { get; set; }

    /// <summary>Runtime, Persistent, or both (the default): the value must be in force in every scope given.</summary>
    [Parameter]
    [ValidateRange(ChangeScope.Runtime, ChangeScope.Runtime | ChangeScope.Persistent)] // None is refused here, so Tab never offers it
    public ChangeScope Scope { get; set; } = ChangeScope.Runtime | ChangeScope.Persistent;

    /// <summary>File-system root of the machine to read (default /).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Root { get; set; } = "/";

    private string _root = "/";

    protected override void BeginProcessing() => _root = ResolveRoot(Root);

    protected override void ProcessRecord()
    {
        var request = SettingRequests.Build(this, Name, Value, Scope, force: false);
        if (request is null)
        {
            return;
        }

        try
        {
            var context = new ConfigurationContext { Root = _root };
            WriteObject(Remediation.TestSetting(request, context));
        }
        catch (UsernsException ex)
        {
            // An unknown name or a bad value is about this item only; the next piped setting may be fine.
            WriteUsernsError(ex);
        }
    }
}
