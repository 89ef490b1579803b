namespace Tidings.Storage;

/// <summary>Log entries of the storage (event ids 2000–2999; the SQLite writer's 2101–2102 are in <see cref="SqliteStorage"/>).</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Applying storage migration {Name}")]
    public static partial void ApplyingMigration(this ILogger logger, string name);
}
