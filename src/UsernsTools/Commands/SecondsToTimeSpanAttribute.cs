using System.Globalization;
using System.Management.Automation;

namespace UsernsTools.Module.Commands;

/// <summary>
/// Lets a TimeSpan parameter take a plain number of seconds (<c>-ProbeTimeout 10</c>). Without it PowerShell
/// would turn 10 into ten ticks (one microsecond) through TimeSpan's long constructor.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SecondsToTimeSpanAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        try
        {
            return value switch
            {
                int seconds => TimeSpan.FromSeconds(seconds),
                long seconds => TimeSpan.FromSeconds(seconds),
                double seconds => TimeSpan.FromSeconds(seconds),
                decimal seconds => TimeSpan.FromSeconds((double)seconds),
                string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) => TimeSpan.FromSeconds(seconds),
                _ => inputData,
            };
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentException)
        {
            throw new ArgumentTransformationMetadataException($"'{value}' is not a usable number of seconds: {ex.Message}", ex);
        }
    }
}
