using System.Collections;
using System.Globalization;
using System.Management.Automation;
using UsernsTools.Platform;
using UsernsTools.Sandbox;

namespace UsernsTools.Module.Commands;

/// <summary>
/// Runs a program in new namespaces, rootless, like a native command: stdout lines stream to the pipeline as
/// they arrive, pipeline input goes to stdin, stderr lines go to the error stream as plain text, and the exit code
/// sets $LASTEXITCODE and $? (see <see cref="NativeCommandRuntime"/>).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "NamespacedProcess", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = NoMapSet)]
[OutputType(typeof(string), typeof(NamespacedProcessResult))]
public sealed class InvokeNamespacedProcessCommand : UsernsCmdletBase
{
    private const string NoMapSet = "NoMapping";
    private const string MapRootUserSet = "MapRootUser";
    private const string MapCurrentUserSet = "MapCurrentUser";
    private const string MapUserSet = "MapUser";
    private const string MapAutoSet = "MapAuto";

    private const NamespaceKind AllNamespaceKinds = NamespaceKind.User | NamespaceKind.Pid | NamespaceKind.Uts | NamespaceKind.Mount
        | NamespaceKind.Ipc | NamespaceKind.Net | NamespaceKind.Cgroup | NamespaceKind.Time;

    /// <summary>The error id of the first stderr line, as pwsh gives a native command's (the formatter shows these records as plain text).</summary>
    public const string StandardErrorId = "NativeCommandError";

    /// <summary>The error id of every later stderr line, as for a native command.</summary>
    public const string StandardErrorMessageId = "NativeCommandErrorMessage";

    /// <summary>The error id when the program exits non-zero under <c>$PSNativeCommandUseErrorActionPreference</c>, as for a native command.</summary>
    public const string ExitErrorId = "ProgramExitedWithNonZeroCode";

    private SandboxRun? _run;
    private NamespaceSpec? _spec;
    private bool _declined;
    private bool _wroteStandardError;

    /// <summary>The program, found on PATH inside the sandbox when it has no slash.</summary>
    [Parameter(Position = 0, Mandatory = true)]
    [ArgumentCompleter(typeof(CommandOnPathCompleter))]
    [ValidateNotNullOrEmpty]
    public string FilePath { get; set; } = "";

    /// <summary>Arguments, passed as they are: no shell is involved.</summary>
    [Parameter(Position = 1)]
    [AllowEmptyString]
    public string[] ArgumentList { get; set; } = Array.Empty<string>();

    /// <summary>Namespace kinds to create; other parameters add the kinds they need.</summary>
    [Parameter]
    [ValidateRange(NamespaceKind.User, AllNamespaceKinds)] // None asks for nothing: refused, so Tab never offers it
    public NamespaceKind[] Namespace { get; set; } = Array.Empty<NamespaceKind>();

    /// <summary>The caller is root (uid 0, gid 0) inside.</summary>
    [Parameter(ParameterSetName = MapRootUserSet, Mandatory = true)]
    public SwitchParameter MapRootUser { get; set; }

    /// <summary>The caller keeps its uid and gid inside.</summary>
    [Parameter(ParameterSetName = MapCurrentUserSet, Mandatory = true)]
    public SwitchParameter MapCurrentUser { get; set; }

    /// <summary>The uid the caller gets inside.</summary>
    [Parameter(ParameterSetName = MapUserSet, Mandatory = true)]
    public long MapUser { get; set; }

    /// <summary>The gid the caller gets inside (default: the same number as MapUser).</summary>
    [Parameter(ParameterSetName = MapUserSet)]
    public long MapGroup { get; set; }

    /// <summary>Root inside, with ids 1 and up from the caller's /etc/subuid and /etc/subgid ranges.</summary>
    [Parameter(ParameterSetName = MapAutoSet, Mandatory = true)]
    public SwitchParameter MapAuto { get; set; }

    /// <summary>Hostname inside a new UTS namespace.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Hostname { get; set; }

    /// <summary>Mount a fresh /proc (a new pid namespace then lists only its own processes).</summary>
    [Parameter]
    public SwitchParameter MountProc { get; set; }

    /// <summary>Directory to start in, as seen inside; default the current file-system location.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    /// <summary>Variables to set inside; a $null value removes the variable.</summary>
    [Parameter]
    public Hashtable? Environment { get; set; }

    /// <summary>Start from an empty environment (plus -Environment).</summary>
    [Parameter]
    public SwitchParameter ClearEnvironment { get; set; }

    /// <summary>The host's root read-only, with a fresh /dev (bwrap).</summary>
    [Parameter]
    public SwitchParameter ReadOnlyRoot { get; set; }

    /// <summary>Host paths made visible inside: 'SRC[:DST][:ro]' strings, hashtables or BindMount objects (bwrap).</summary>
    [Parameter]
    [BindMountTransformation]
    public BindMount[] BindMount { get; set; } = Array.Empty<BindMount>();

    /// <summary>A new network namespace with only loopback, up (bwrap).</summary>
    [Parameter]
    public SwitchParameter LoopbackNetwork { get; set; }

    /// <summary>
    /// Without Pid in -Namespace, leave the program in the caller's pid namespace rather than one of its own: its
    /// background children can then outlive a PowerShell killed by SIGKILL.
    /// </summary>
    [Parameter]
    public SwitchParameter SharePidNamespace { get; set; }

    /// <summary>Kill the whole sandbox after this long (a TimeSpan or a number of seconds).</summary>
    [Parameter]
    [SecondsToTimeSpan]
    [ValidateTimeout(MaximumSeconds = TimeoutLimits.MaximumRunSeconds)]
    public TimeSpan Timeout { get; set; }

    /// <summary>The tool that creates the namespaces; Auto picks unshare when it can do everything asked, else bwrap.</summary>
    [Parameter]
    public BackendKind Backend { get; set; } = BackendKind.Auto;

    /// <summary>Also write a NamespacedProcessResult when the program has ended.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Give the program the terminal (stdin, stdout and stderr) instead of the pipeline.</summary>
    [Parameter]
    public SwitchParameter Interactive { get; set; }

    /// <summary>Lines for the program's stdin, one per pipeline item.</summary>
    [Parameter(ValueFromPipeline = true)]
    [AllowEmptyString]
    public string? InputObject { get; set; }

    protected override void BeginProcessing()
    {
        if (Interactive.IsPresent && MyInvocation.ExpectingInput)
        {
            ThrowTerminatingError(new ErrorRecord(
                new PSArgumentException("-Interactive gives the program the terminal's stdin, so it cannot also read pipeline input."),
                "InteractiveWithPipelineInput",
                ErrorCategory.InvalidArgument,
                FilePath));
        }

        try
        {
            _spec = BuildOptions().ToSpec();
            var command = RunEngine(token => Sandboxes.BuildArgvAsync(_spec, token));
            var argv = ArgvText.Join(command.Argv);
            WriteVerbose($"Backend {command.Backend}, namespaces {command.Namespaces}: {argv}");
            if (!ShouldProcess(argv, "Run in new namespaces"))
            {
                _declined = true;
                return;
            }

            if (!Interactive.IsPresent)
            {
                _run = RunEngine(token => Sandboxes.StartAsync(_spec, writableInput: MyInvocation.ExpectingInput, token));
            }
        }
        catch (UsernsException ex)
        {
            // Parameters that cannot make a sandbox, or no backend for them: nothing can run.
            ThrowUsernsError(ex);
        }
    }

    protected override void ProcessRecord()
    {
        if (_run is null)
        {
            return;
        }

        if (MyInvocation.ExpectingInput && InputObject is not null)
        {
            _run.WriteInput(InputObject);
        }

        // Write what has arrived so far, without waiting: output keeps pace with the input like a native pipe.
        while (_run.Events.TryRead(out var item))
        {
            Write(item);
        }
    }

    protected override void EndProcessing()
    {
        if (_declined || _spec is null)
        {
            return;
        }

        NamespacedProcessResult result;
        try
        {
            if (_run is null)
            {
                result = RunEngine(token => Sandboxes.RunAsync(_spec, new ProcessIo { Interactive = true }, token));
            }
            else
            {
                var run = _run;
                run.CompleteInput();
                while (RunEngine(token => run.Events.WaitToReadAsync(token).AsTask()))
                {
                    while (run.Events.TryRead(out var item))
                    {
                        Write(item);
                    }
                }

                result = RunEngine(_ => run.Completion);
            }
        }
        catch (UsernsException ex)
        {
            ThrowUsernsError(ex);
            return;
        }

        // Like a native command: scripts test $LASTEXITCODE and $?.
        SessionState.PSVariable.Set("global:LASTEXITCODE", result.ExitCode);
        if (PassThru.IsPresent)
        {
            WriteObject(result);
        }

        if (result.TimedOut)
        {
            WriteError(new ErrorRecord(
                new TimeoutException($"{FilePath} did not end within {Timeout.TotalSeconds} seconds; the sandbox was killed."),
                "NamespacedProcessTimedOut",
                ErrorCategory.OperationTimeout,
                FilePath));
        }
        else if (result.StoppedItself)
        {
            WriteError(new ErrorRecord(
                new OperationCanceledException($"{FilePath} stopped itself while it owned the terminal, and PowerShell cannot resume it; the sandbox was killed."),
                "NamespacedProcessStopped",
                ErrorCategory.OperationStopped,
                FilePath));
        }
        else if (result.ExitCode != 0)
        {
            NativeCommandRuntime.MarkFailed(this);
            if (UseErrorActionPreference())
            {
                // What pwsh writes for a native command: subject to -ErrorAction and $ErrorActionPreference.
                var message = string.Format(
                    CultureInfo.InvariantCulture,
                    "Program \"{0}\" ended with non-zero exit code: {1} (0x{1:X2}).",
                    FilePath,
                    result.ExitCode);
                WriteError(new ErrorRecord(
                    NativeCommandRuntime.CreateExitException(FilePath, result.ExitCode, result.ProcessId, message, ExitErrorId),
                    ExitErrorId,
                    ErrorCategory.NotSpecified,
                    FilePath));
            }
        }
    }

    /// <summary>$PSNativeCommandUseErrorActionPreference as pwsh reads it: unset, or not a boolean, is False.</summary>
    private bool UseErrorActionPreference()
    {
        var value = SessionState.PSVariable.GetValue("PSNativeCommandUseErrorActionPreference");
        if (value is null)
        {
            return false;
        }

        try
        {
            return LanguagePrimitives.ConvertTo<bool>(value);
        }
        catch (PSInvalidCastException)
        {
            return false;
        }
    }

    protected override void StopProcessing()
    {
        base.StopProcessing();
        _run?.Stop();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _run is not null)
        {
            // Ends the sandbox if the pipeline stopped or failed before EndProcessing awaited it.
            _run.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _run = null;
        }

        base.Dispose(disposing);
    }

    private void Write(SandboxEvent item)
    {
        if (item.Kind == SandboxEventKind.Output)
        {
            WriteObject(item.Line);
        }
        else if (item.Kind == SandboxEventKind.Error)
        {
            // As pwsh reports a native command's stderr: a RemoteException per line, the first one NativeCommandError.
            var record = _wroteStandardError
                ? new ErrorRecord(new RemoteException(item.Line), StandardErrorMessageId, ErrorCategory.NotSpecified, null)
                : new ErrorRecord(new RemoteException(item.Line), StandardErrorId, ErrorCategory.NotSpecified, item.Line);
            _wroteStandardError = true;
            NativeCommandRuntime.WriteStandardError(this, record);
        }
    }

    private RunOptions BuildOptions()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment ?? new Hashtable())
        {
            environment[LanguagePrimitives.ConvertTo<string>(entry.Key)] = entry.Value is null ? null : LanguagePrimitives.ConvertTo<string>(entry.Value);
        }

        var location = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        return new RunOptions
        {
            FilePath = FilePath,

            // $null is no arguments, as for a native command (& echo $null).
            ArgumentList = ArgumentList ?? Array.Empty<string>(),
            Namespaces = Namespace.Aggregate(NamespaceKind.None, (all, kind) => all | kind),
            MapRootUser = MapRootUser.IsPresent,
            MapCurrentUser = MapCurrentUser.IsPresent,
            MapUser = ParameterSetName == MapUserSet ? MapUser : null,
            MapGroup = MyInvocation.BoundParameters.ContainsKey(nameof(MapGroup)) ? MapGroup : null,
            MapAuto = MapAuto.IsPresent,
            Hostname = Hostname,
            MountProc = MountProc.IsPresent,
            // Like a native command, the program starts where the session is, not where the pwsh process is.
            WorkingDirectory = WorkingDirectory is null ? location : ResolveFileSystemPath(WorkingDirectory, nameof(WorkingDirectory)),
            Environment = environment,
            ClearEnvironment = ClearEnvironment.IsPresent,
            ReadOnlyRoot = ReadOnlyRoot.IsPresent,
            BindMounts = BindMount.Select(m => new BindMount(ResolveFileSystemPath(m.Source, nameof(BindMount)), m.Target, m.ReadOnly)).ToList(),
            LoopbackNetwork = LoopbackNetwork.IsPresent,
            SharePidNamespace = SharePidNamespace.IsPresent,
            Timeout = MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) ? Timeout : null,
            Backend = Backend,
        };
    }
}
