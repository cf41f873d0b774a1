namespace UsernsTools.Facts.Denials;

/// <summary>One <c>key=value</c> of an audit record; <see cref="Quoted"/> tells a quoted string from a bare (possibly hex) one.</summary>
internal readonly record struct AuditField(string Key, string Value, bool Quoted);
