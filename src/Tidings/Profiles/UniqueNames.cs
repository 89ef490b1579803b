using Tidings.Rest;
using Tidings.Storage;
using Tidings.Rejections;

namespace Tidings.Profiles;

/// <summary>
/// Names of databases, collections, fields and interests are unique (a unique index backs each "already exists"
/// check). With one writer (SQLite) the check always sees the competing name; on PostgreSQL two concurrent writes can
/// both pass it and the later one fails on the index. Both must answer the client with the same Copernica error.
/// </summary>
internal static class UniqueNames
{
    public static async Task<T> OrNameTaken<T>(this Task<T> write, SqlDialect dialect, string message)
    {
        try
        {
            return await write;
        }
        catch (Exception ex) when (dialect.IsUniqueViolation(ex))
        {
            throw new RequestRejectedException(message);
        }
    }
}
