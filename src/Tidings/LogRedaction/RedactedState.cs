using System.Collections;

namespace Tidings.LogRedaction;

/// <summary>
/// A log entry's state as providers see it: its message and its structured values masked when read, so that a
/// provider writing either (the console's text or JSON formatter, OpenTelemetry) gets no credential. Masking happens
/// only when a provider actually reads the entry.
/// </summary>
internal sealed class RedactedState<TState>(TState state, Func<TState, Exception?, string> formatter) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly IReadOnlyList<KeyValuePair<string, object?>>? _values = state as IReadOnlyList<KeyValuePair<string, object?>>;

    public int Count => _values?.Count ?? 0;

    public KeyValuePair<string, object?> this[int index] => Masked(_values![index]);

    /// <summary>The message as the logger's own formatter writes it, masked.</summary>
    public string Format(Exception? exception) => Redactor.Redact(formatter(state, exception));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Redactor.Redact(state?.ToString() ?? "");

    internal static KeyValuePair<string, object?> Masked(KeyValuePair<string, object?> pair)
    {
        if (pair.Value is null) return pair;
        if (Redactor.IsCredentialName(pair.Key)) return new(pair.Key, Redactor.Mask);
        switch (pair.Value)
        {
            case string text:
                var redacted = Redactor.Redact(text);
                return ReferenceEquals(redacted, text) ? pair : new(pair.Key, redacted);
            case ValueType:
                return pair; // numbers, dates, enums: no text of their own
            default:
                // QueryString, PathString, Uri, a list…: judged by their text, kept as they are when it holds nothing.
                var shown = Convert.ToString(pair.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                var masked = Redactor.Redact(shown);
                return ReferenceEquals(masked, shown) ? pair : new(pair.Key, masked);
        }
    }
}

/// <summary>A scope's state, masked the same way when a provider reads it.</summary>
internal sealed class RedactedScope(object state) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly IReadOnlyList<KeyValuePair<string, object?>>? _values = state as IReadOnlyList<KeyValuePair<string, object?>>;

    public int Count => _values?.Count ?? 0;

    public KeyValuePair<string, object?> this[int index] => RedactedState<object>.Masked(_values![index]);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Redactor.Redact(state.ToString() ?? "");
}
