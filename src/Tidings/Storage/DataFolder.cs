namespace Tidings.Storage;

/// <summary>
/// The data folder: the folder of <c>Storage:SqlitePath</c> (relative to the working directory; <c>data/</c> by
/// default), also with PostgreSQL. It holds the SQLite database, the master key file (by default), the server lock and
/// the first start's token file when standard output is not a terminal.
/// </summary>
internal static class DataFolder
{
    public static string Of(StorageOptions storage) => Path.GetDirectoryName(Path.GetFullPath(storage.SqlitePath))!;
}
