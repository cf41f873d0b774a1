using System.Management.Automation;

namespace UsernsTools.Module.Commands;

/// <summary>A probe timeout must be positive and short enough to be a timeout rather than a hang.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateTimeoutAttribute : ValidateArgumentsAttribute
{
    /// <summary>The longest accepted timeout; a probe that needs longer is stuck.</summary>
    public static TimeSpan Maximum { get; } = TimeSpan.FromHours(1);

    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
        if (value is not TimeSpan timeout || timeout <= TimeSpan.Zero || timeout > Maximum)
        {
            throw new ValidationMetadataException($"The timeout must be more than 0 seconds and at most {Maximum.TotalSeconds} seconds; got '{value}'.");
        }
    }
}
