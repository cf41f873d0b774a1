using System.Text.Json;
using UsernsTools.Facts;
using UsernsTools.Platform;
using UsernsTools.Serialization;

namespace UsernsTools.Configuration;

/// <summary>
/// The UsernsTools/Setting resource for Microsoft DSC v3 (usernstools.dsc.resource.json): get, test and set of one
/// setting over JSON documents {"name", "value", "scope", "_inDesiredState"}, read from stdin, written to stdout.
/// </summary>
internal static class DscResource
{
    public const string ResourceType = "UsernsTools/Setting";

    public static string Get(string json, ConfigurationContext context)
    {
        var (request, _) = Parse(json, requireValue: false);
        return Serialize(Actual(request, context, inDesiredState: null));
    }

    public static string Test(string json, ConfigurationContext context, out bool inDesiredState)
    {
        var (request, _) = Parse(json, requireValue: true);
        inDesiredState = Remediation.TestSetting(request, context);
        return Serialize(Actual(request, context, inDesiredState));
    }

    /// <summary>Enforces the document and returns the state after (with <paramref name="whatIf"/>, the state it would reach).</summary>
    public static async Task<string> SetAsync(string json, ConfigurationContext context, bool whatIf, CancellationToken cancellationToken)
    {
        var (request, _) = Parse(json, requireValue: true);
        if (whatIf)
        {
            var plan = Remediation.Preview(state => Planner.PlanSetting(request, state), context);
            var expected = Actual(request, context, inDesiredState: null);
            var value = SettingCatalog.GetWritable(request.Name).Normalize(request.Value);
            expected.Value = value;
            if (plan.Changes.Any(c => c.Kind == ChangeKind.RuntimeSetting))
            {
                expected.RuntimeValue = value;
            }

            if (plan.Changes.Any(c => c.Kind == ChangeKind.SysctlDropIn))
            {
                expected.PersistedValue = value;
                expected.PersistedSource = ManagedPaths.SysctlDropIn;
            }

            return Serialize(expected);
        }

        await Remediation.SetSettingAsync(request, context, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Serialize(Actual(request, context, inDesiredState: null));
    }

    private static DscSettingState Actual(SetSettingRequest request, ConfigurationContext context, bool? inDesiredState)
    {
        var definition = SettingCatalog.GetWritable(request.Name);
        var setting = SettingReader.Read(context.Root, definition, SysctlPrecedence.Resolve(context.Root, null), context.ProcRoot);
        return new DscSettingState
        {
            Name = definition.Name,
            Value = request.Scope.HasFlag(ChangeScope.Runtime) ? setting.RuntimeValue : setting.PersistedValue,
            Scope = ScopeNames(request.Scope),
            RuntimeValue = setting.RuntimeValue,
            PersistedValue = setting.PersistedValue,
            PersistedSource = setting.PersistedSource,
            InDesiredState = inDesiredState,
        };
    }

    private static (SetSettingRequest Request, bool Force) Parse(string json, bool requireValue)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new UsernsException("InvalidDscInput", UsernsErrorCategory.InvalidData, $"The input is not JSON: {ex.Message}", json, ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new UsernsException("InvalidDscInput", UsernsErrorCategory.InvalidData, "The input must be a JSON object.", json);
            }

            string? name = null;
            string? value = null;
            var scope = ChangeScope.None;
            var force = false;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "name":
                        name = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                        break;
                    case "value":
                        value = property.Value.ValueKind switch
                        {
                            JsonValueKind.String => property.Value.GetString(),
                            JsonValueKind.Number => property.Value.GetRawText(),
                            _ => throw new UsernsException("InvalidDscInput", UsernsErrorCategory.InvalidData, "\"value\" must be a string or an integer.", property.Value.GetRawText()),
                        };
                        break;
                    case "scope":
                        scope = ParseScope(property.Value);
                        break;
                    case "force":
                        force = property.Value.ValueKind == JsonValueKind.True;
                        break;
                    case "_inDesiredState":
                    case "runtimeValue":
                    case "persistedValue":
                    case "persistedSource":
                        break; // read-only properties DSC may echo back
                    default:
                        throw new UsernsException("InvalidDscInput", UsernsErrorCategory.InvalidData, $"Unknown property '{property.Name}'.", property.Name);
                }
            }

            if (name is null)
            {
                throw new UsernsException("InvalidDscInput", UsernsErrorCategory.InvalidData, "The input needs \"name\", a sysctl name such as user.max_user_namespaces.", json);
            }

            if (requireValue && value is null)
            {
                throw new UsernsException("InvalidDscInput", UsernsErrorCategory.InvalidData, "The input needs \"value\".", json);
            }

            return (new SetSettingRequest(name, value ?? "")
            {
                Scope = scope == ChangeScope.None ? ChangeScope.Runtime | ChangeScope.Persistent : scope,
                Force = force,
            }, force);
        }
    }

    private static ChangeScope ParseScope(JsonElement element)
    {
        var items = element.ValueKind switch
        {
            JsonValueKind.Array => element.EnumerateArray().ToList(),
            JsonValueKind.String => new List<JsonElement> { element },
            _ => throw new UsernsException("InvalidDscInput", UsernsErrorCategory.InvalidData, "\"scope\" must be an array of \"Runtime\" and \"Persistent\".", element.GetRawText()),
        };
        var scope = ChangeScope.None;
        foreach (var item in items)
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            scope |= text switch
            {
                _ when string.Equals(text, nameof(ChangeScope.Runtime), StringComparison.OrdinalIgnoreCase) => ChangeScope.Runtime,
                _ when string.Equals(text, nameof(ChangeScope.Persistent), StringComparison.OrdinalIgnoreCase) => ChangeScope.Persistent,
                _ => throw new UsernsException("InvalidDscInput", UsernsErrorCategory.InvalidData, $"Unknown scope '{item.GetRawText()}'.", item.GetRawText()),
            };
        }

        return scope;
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

    /// <summary>One compact JSON object: DSC reads one object per line from stdout.</summary>
    private static string Serialize(DscSettingState state)
    {
        var options = new JsonSerializerOptions(UsernsJsonContext.Default.Options) { WriteIndented = false };
        return JsonSerializer.Serialize(state, options.GetTypeInfo(typeof(DscSettingState)));
    }
}
