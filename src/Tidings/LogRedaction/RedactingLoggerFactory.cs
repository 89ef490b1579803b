namespace Tidings.LogRedaction;

/// <summary>
/// Wraps the logger factory, so that every logger, whatever its category, level or provider (ASP.NET Core's request
/// log, Kestrel's refused requests, a provider added by configuration), masks credentials before a provider sees the
/// entry. Filters and providers stay those of the wrapped factory.
/// </summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, name => new RedactingLogger(inner.CreateLogger(name)));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}

/// <summary>A logger that hands its entries on with credentials masked (<see cref="Redactor"/>).</summary>
internal sealed class RedactingLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(new RedactedScope(state));

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (inner.IsEnabled(logLevel))
        {
            inner.Log(logLevel, eventId, new RedactedState<TState>(state, formatter), RedactedException.For(exception), static (entry, e) => entry.Format(e));
        }
    }
}
