namespace UsernsTools.Facts.Denials;

/// <summary>Which log a formatted line imitates.</summary>
internal enum DenialLineStyle
{
    /// <summary><c>audit: type=1400 audit(...): ...</c> as dmesg and journalctl -k show it.</summary>
    Kernel,

    /// <summary><c>type=AVC msg=audit(...): ...</c> as /var/log/audit/audit.log holds it.</summary>
    Audit,
}
