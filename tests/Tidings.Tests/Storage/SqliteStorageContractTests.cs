using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Storage;

/// <summary>The storage contract on the embedded SQLite store (a fresh file per class).</summary>
public sealed class SqliteStorageContractTests(SqliteTidingsApp app) : StorageContractTests(app), IClassFixture<SqliteTidingsApp>;
