namespace Tidings.Events.Intake;

/// <summary>Log entries of the journal's intake log (event ids 3201–3299; stopping: 3501).</summary>
internal static partial class JournalIntakeLog
{
    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning,
        Message = "The intake log ended in {Bytes} bytes of an unfinished write (a crash while appending, never acknowledged); they were cut off")]
    public static partial void UnfinishedWriteCutOff(this ILogger logger, long bytes);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Error,
        Message = "The intake log begins at {Start}, but the journal has only taken it up to {Recorded}: the events in between were removed from disk and are lost")]
    public static partial void EventsLost(this ILogger logger, long start, long recorded);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Information,
        Message = "The intake log holds {Bytes} bytes of events not yet in the journal; they are being added")]
    public static partial void CatchingUp(this ILogger logger, long bytes);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Information,
        Message = "A burst of {Events} events waited up to {Seconds:F1} s in the intake log while the machine was busy; the journal has caught up")]
    public static partial void BurstCaughtUp(this ILogger logger, long events, double seconds);

    [LoggerMessage(EventId = 3205, Level = LogLevel.Error,
        Message = "Making intake log events into journal rows failed at position {Position}; retrying in 5 s")]
    public static partial void MaterializeFailed(this ILogger logger, Exception exception, long position);

    [LoggerMessage(EventId = 3501, Level = LogLevel.Information,
        Message = "Intake log flushed to disk and closed after {ElapsedMs} ms; {Bytes} bytes of events not yet in the journal stay in it and are added at the next start")]
    public static partial void IntakeClosed(this ILogger logger, long bytes, long elapsedMs);
}
