using System.Management.Automation;
using UsernsTools.Platform;

namespace UsernsTools.Module.Commands;

/// <summary>
/// A timeout must be positive and short enough to be a timeout rather than a hang; checked at binding, so a value
/// the timer cannot hold never starts anything.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateTimeoutAttribute : ValidateArgumentsAttribute
{
    /// <summary>The longest accepted timeout in seconds; by default a probe's (a probe that needs longer is stuck).</summary>
    public double MaximumSeconds { get; set; } = TimeoutLimits.MaximumProbeSeconds;

    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
        var problem = value is TimeSpan timeout
            ? TimeoutLimits.Problem(timeout, MaximumSeconds, "The timeout")
            : $"The timeout must be a number of seconds or a TimeSpan, not '{value}'.";
        if (problem is not null)
        {
            throw new ValidationMetadataException(problem);
        }
    }
}
