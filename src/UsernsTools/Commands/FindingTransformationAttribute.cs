using System.Collections;
using System.Management.Automation;
using UsernsTools.Diagnosis;

namespace UsernsTools.Module.Commands;

/// <summary>
/// Lets a finding that crossed a process boundary (Import-Clixml, Receive-Job, remoting: a property bag whose type is
/// Deserialized.UsernsTools.Diagnosis.UsernsFinding) bind as the finding it was: what planning a fix reads of it (id,
/// severity, setting, values, programs) comes back; everything else is left to PowerShell's own binding.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class FindingTransformationAttribute : ArgumentTransformationAttribute
{
    private const string DeserializedFinding = "Deserialized.UsernsTools.Diagnosis.UsernsFinding";

    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        if (inputData is PSObject single && single.TypeNames.Contains(DeserializedFinding))
        {
            return FromPropertyBag(single);
        }

        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is IEnumerable items and not string and not IDictionary)
        {
            var converted = new List<object?>();
            var any = false;
            foreach (var item in items)
            {
                if (item is PSObject bag && bag.TypeNames.Contains(DeserializedFinding))
                {
                    converted.Add(FromPropertyBag(bag));
                    any = true;
                }
                else
                {
                    converted.Add(item);
                }
            }

            return any ? converted.ToArray() : inputData;
        }

        return inputData;
    }

    private static UsernsFinding FromPropertyBag(PSObject bag)
    {
        string? Text(string name) => bag.Properties[name]?.Value is { } v ? LanguagePrimitives.ConvertTo<string>(v) : null;
        var severityText = Text(nameof(UsernsFinding.Severity));
        if (Text(nameof(UsernsFinding.Id)) is not { Length: > 0 } id || !Enum.TryParse<Severity>(severityText, ignoreCase: true, out var severity))
        {
            throw new ArgumentTransformationMetadataException("A deserialized finding needs its Id and Severity to be planned.");
        }

        var programs = bag.Properties[nameof(UsernsFinding.ProgramPaths)]?.Value is { } list
            ? LanguagePrimitives.ConvertTo<string[]>(list)
            : Array.Empty<string>();
        return new UsernsFinding
        {
            Id = id,
            Severity = severity,
            Setting = Text(nameof(UsernsFinding.Setting)),
            CurrentValue = Text(nameof(UsernsFinding.CurrentValue)),
            RecommendedValue = Text(nameof(UsernsFinding.RecommendedValue)),
            Explanation = Text(nameof(UsernsFinding.Explanation)) ?? "",
            Remediation = Text(nameof(UsernsFinding.Remediation)) ?? "",
            ProgramPaths = programs,
        };
    }
}
