using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using UsernsTools.Facts;
using UsernsTools.Platform;
using UsernsTools.Serialization;

namespace UsernsTools.Configuration;

/// <summary>
/// The UsernsTools/Setting resource for Microsoft DSC v3 (usernstools.dsc.resource.json): get, test, set, what-if and
/// export of one setting over JSON Lines. test, set and what-if return <c>stateAndDiff</c>: a state line, then a line
/// with the names of the properties that differ (test) or that changed or would change (set, what-if), so DSC's report
/// names what differs, runtime or boot.
/// </summary>
internal static class DscResource
{
    public const string ResourceType = "UsernsTools/Setting";

    private const string ValueProperty = "value";
    private const string RuntimeValueProperty = "runtimeValue";
    private const string PersistedValueProperty = "persistedValue";
    private const string PersistedSourceProperty = "persistedSource";

    /// <summary>
    /// A root that is not there has no settings: reading it would describe an empty machine as this one's state.
    /// </summary>
    private static void RequireRoot(ConfigurationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        RootedPath.RequireRoot(context.Root);
    }

    public static string Get(string json, ConfigurationContext context)
    {
        RequireRoot(context);
        var request = DscRequest.Parse(json, requireValue: false);
        return Line(State(request, Observe(request.Setting.Name, context, overlay: null), inDesiredState: null));
    }

    /// <summary>The state with _inDesiredState, then the properties out of the desired state.</summary>
    public static string Test(string json, ConfigurationContext context, out bool inDesiredState)
    {
        RequireRoot(context);
        var request = DscRequest.Parse(json, requireValue: true);
        var actual = Observe(request.Setting.Name, context, overlay: null);
        inDesiredState = Remediation.TestSetting(request.Setting, context);
        var differing = Differing(request, actual);
        if (!inDesiredState && differing.Count == 0)
        {
            differing.Add(ValueProperty);
        }

        return Line(State(request, actual, inDesiredState)) + "\n" + Line(inDesiredState ? new List<string>() : differing);
    }

    /// <summary>
    /// Enforces the document; writes the state after and the properties that changed. With <paramref name="whatIf"/>, the
    /// state it would reach after the same checks a set makes first (privilege, a read-only file system, another file that
    /// wins at boot), so what-if refuses what set refuses.
    /// </summary>
    public static async Task<string> SetAsync(string json, ConfigurationContext context, bool whatIf, CancellationToken cancellationToken)
    {
        RequireRoot(context);
        var request = DscRequest.Parse(json, requireValue: true);
        var before = Observe(request.Setting.Name, context, overlay: null);
        Observation after;
        if (whatIf)
        {
            var plan = Remediation.Check(state => Planner.PlanSetting(request.Setting, state), context);
            after = Predict(request.Setting, context, plan);
        }
        else
        {
            await Remediation.SetSettingAsync(request.Setting, context, cancellationToken: cancellationToken).ConfigureAwait(false);
            after = Observe(request.Setting.Name, context, overlay: null);
        }

        return Line(State(request, after, inDesiredState: null)) + "\n" + Line(Changed(request, before, after));
    }

    /// <summary>One state line for each managed setting that has a value here (in the kernel or at boot).</summary>
    public static string Export(string? json, ConfigurationContext context)
    {
        RequireRoot(context);
        string? only = null;
        if (!string.IsNullOrWhiteSpace(json))
        {
            only = DscRequest.Parse(json, requireValue: false).Setting.Name;
        }

        var lines = new List<string>();
        foreach (var definition in SettingCatalog.Writable)
        {
            if (only is not null && !string.Equals(SettingCatalog.GetWritable(only).Name, definition.Name, StringComparison.Ordinal))
            {
                continue;
            }

            var observed = Observe(definition.Name, context, overlay: null);
            if (observed.Runtime is null && observed.Persisted is null)
            {
                continue;
            }

            // The scopes whose value is the one exported, so the exported document tests true on this machine.
            var scope = observed.Runtime is null ? ChangeScope.None : ChangeScope.Runtime;
            if (observed.Persisted is not null && (observed.Runtime is null || SettingDefinition.SameValue(observed.Runtime, observed.Persisted)))
            {
                scope |= ChangeScope.Persistent;
            }

            var scoped = new DscRequest(new SetSettingRequest(definition.Name, "") { Scope = scope }, HasValue: false, ValueIsNumber: false);
            lines.Add(Line(State(scoped, observed, inDesiredState: null)));
        }

        return string.Join("\n", lines);
    }

    private sealed record Observation(string Name, string? Runtime, string? Persisted, string? Source);

    private static Observation Observe(string name, ConfigurationContext context, IReadOnlyDictionary<string, string?>? overlay)
    {
        var definition = SettingCatalog.GetWritable(name);
        var setting = SettingReader.Read(context.Root, definition, SysctlPrecedence.Resolve(context.Root, overlay), context.ProcRoot);
        return new Observation(definition.Name, setting.RuntimeValue, setting.PersistedValue, setting.PersistedSource);
    }

    /// <summary>What set would leave: the planned runtime value, and the boot value with the planned drop-in in place.</summary>
    private static Observation Predict(SetSettingRequest request, ConfigurationContext context, ChangePlan plan)
    {
        var value = SettingCatalog.GetWritable(request.Name).Normalize(request.Value);
        var dropIn = plan.Changes.FirstOrDefault(c => c.Kind == ChangeKind.SysctlDropIn);
        IReadOnlyDictionary<string, string?>? overlay = null;
        if (dropIn is not null)
        {
            var text = dropIn.Desired is { Exists: true } desired
                ? Encoding.UTF8.GetString(desired.Content)
                : SysctlDropIn.With(ReadText(context, ManagedPaths.SysctlDropIn), request.Name, value);
            overlay = new Dictionary<string, string?>(StringComparer.Ordinal) { [ManagedPaths.SysctlDropIn] = text };
        }

        var predicted = Observe(request.Name, context, overlay);
        return plan.Changes.Any(c => c.Kind == ChangeKind.RuntimeSetting) ? predicted with { Runtime = value } : predicted;
    }

    private static string ReadText(ConfigurationContext context, string machinePath)
    {
        var path = RootedPath.Combine(context.Root, machinePath);
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    private static DscSettingState State(DscRequest request, Observation observed, bool? inDesiredState) => new()
    {
        Name = observed.Name,
        Value = Typed(request, ValueInForce(request, observed)),
        Scope = ScopeNames(request.Setting.Scope),
        RuntimeValue = observed.Runtime,
        PersistedValue = observed.Persisted,
        PersistedSource = observed.Source,
        InDesiredState = inDesiredState,
    };

    /// <summary>
    /// The value of the asked scopes: the desired value when every asked scope has it, else the first asked scope's value
    /// that differs, so <c>value</c> differs from the request exactly when the instance is out of the desired state.
    /// </summary>
    private static string? ValueInForce(DscRequest request, Observation observed)
    {
        var values = Asked(request, observed).Select(a => a.Value).ToList();
        if (!request.HasValue)
        {
            return values.FirstOrDefault(v => v is not null);
        }

        var wrong = values.Where(v => !SettingDefinition.SameValue(v, request.Setting.Value)).ToList();
        return wrong.Count == 0 ? request.Setting.Value : wrong[0];
    }

    private static List<string> Differing(DscRequest request, Observation observed)
    {
        var differing = Asked(request, observed)
            .Where(a => !SettingDefinition.SameValue(a.Value, request.Setting.Value))
            .Select(a => a.Property)
            .ToList();
        if (differing.Count > 0)
        {
            differing.Insert(0, ValueProperty);
        }

        return differing;
    }

    private static List<string> Changed(DscRequest request, Observation before, Observation after)
    {
        var changed = new List<string>();
        if (!SettingDefinition.SameValue(ValueInForce(request, before), ValueInForce(request, after)))
        {
            changed.Add(ValueProperty);
        }

        if (!SettingDefinition.SameValue(before.Runtime, after.Runtime))
        {
            changed.Add(RuntimeValueProperty);
        }

        if (!SettingDefinition.SameValue(before.Persisted, after.Persisted))
        {
            changed.Add(PersistedValueProperty);
        }

        if (!string.Equals(before.Source, after.Source, StringComparison.Ordinal))
        {
            changed.Add(PersistedSourceProperty);
        }

        return changed;
    }

    private static IEnumerable<(string Property, string? Value)> Asked(DscRequest request, Observation observed)
    {
        if (request.Setting.Scope.HasFlag(ChangeScope.Runtime))
        {
            yield return (RuntimeValueProperty, observed.Runtime);
        }

        if (request.Setting.Scope.HasFlag(ChangeScope.Persistent))
        {
            yield return (PersistedValueProperty, observed.Persisted);
        }
    }

    /// <summary>The value in the JSON type the request used; a value that is no plain number stays a string.</summary>
    private static JsonValue? Typed(DscRequest request, string? value)
    {
        if (value is null)
        {
            return null;
        }

        return request.ValueIsNumber && long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : JsonValue.Create(value);
    }

    private static List<string> ScopeNames(ChangeScope scope)
    {
        var names = new List<string>();
        if (scope.HasFlag(ChangeScope.Runtime))
        {
            names.Add(nameof(ChangeScope.Runtime));
        }

        if (scope.HasFlag(ChangeScope.Persistent))
        {
            names.Add(nameof(ChangeScope.Persistent));
        }

        return names;
    }

    /// <summary>One compact JSON line: DSC reads JSON Lines from stdout.</summary>
    private static string Line(DscSettingState state)
    {
        var options = new JsonSerializerOptions(UsernsJsonContext.Default.Options) { WriteIndented = false };
        return JsonSerializer.Serialize(state, options.GetTypeInfo(typeof(DscSettingState)));
    }

    private static string Line(List<string> properties)
    {
        var node = new JsonArray(properties.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray());
        return node.ToJsonString();
    }
}
