using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Tidings.Tests.Infrastructure;

/// <summary>
/// A logging provider that keeps every entry it is given, in every form a provider can write it: the formatted
/// message, each structured value, the exception's text and the scopes around it. Add it to a server to check what
/// reaches a log through the server's own logging pipeline.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _entries = new();
    private IExternalScopeProvider? _scopes;

    /// <summary>One text per entry: level, category, message, values, exception and scopes.</summary>
    public IReadOnlyCollection<string> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => capture._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)}");
            Describe(text, "state", state);
            if (exception is not null) text.Append(" | exception: ").Append(exception);
            capture._scopes?.ForEachScope((scope, t) => Describe(t, "scope", scope), text);
            capture._entries.Enqueue(text.ToString());
        }

        private static void Describe(StringBuilder text, string what, object? value)
        {
            text.Append($" | {what}: ").Append(value);
            if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, item) in pairs) text.Append($" {key}={item}");
            }
        }
    }
}
