using System.Collections;
using System.Management.Automation;
using UsernsTools.Platform;
using UsernsTools.Sandbox;

namespace UsernsTools.Module.Commands;

/// <summary>
/// Lets -BindMount take the 'SRC[:DST][:ro]' strings a command line uses (<c>-BindMount /data:/data:ro</c>).
/// Hashtables and BindMount objects are left to PowerShell's own conversion.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class BindMountTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is string text)
        {
            return new[] { Parse(text) };
        }

        if (value is IEnumerable items and not IDictionary)
        {
            var converted = new List<object?>();
            foreach (var item in items)
            {
                var element = item is PSObject w ? w.BaseObject : item;
                converted.Add(element is string one ? Parse(one) : item);
            }

            return converted.ToArray();
        }

        return inputData;
    }

    private static BindMount Parse(string text)
    {
        try
        {
            // Relative sources are resolved against the session's location by the cmdlet, like every other path.
            return RunOptionText.ParseBindMount(text, baseDirectory: null);
        }
        catch (UsernsException ex)
        {
            throw new ArgumentTransformationMetadataException(ex.Message, ex);
        }
    }
}
