namespace Tidings.LogRedaction;

/// <summary>
/// Stands in, in a log entry, for an exception whose text holds a credential (Kestrel's refusal of a request target
/// quotes the target, query string and all). It keeps the original's type name, message and stack trace, masked, and
/// not the original itself, which a provider could still print.
/// </summary>
internal sealed class RedactedException(Exception original, string text) : Exception(Redactor.Redact(original.Message))
{
    public string OriginalType { get; } = original.GetType().FullName ?? original.GetType().Name;

    public override string? StackTrace { get; } = original.StackTrace;

    public override string ToString() => text;

    /// <summary>The exception itself when its text holds no credential, otherwise a masked stand-in.</summary>
    public static Exception? For(Exception? exception)
    {
        if (exception is null) return null;
        var text = exception.ToString();
        var redacted = Redactor.Redact(text);
        return ReferenceEquals(redacted, text) ? exception : new RedactedException(exception, redacted);
    }
}
