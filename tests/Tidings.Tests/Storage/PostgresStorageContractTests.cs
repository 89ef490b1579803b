using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Storage;

/// <summary>The storage contract on PostgreSQL (a fresh database per class; needs <c>TIDINGS_TEST_POSTGRES</c>).</summary>
public sealed class PostgresStorageContractTests(PostgresTidingsApp app) : StorageContractTests(app), IClassFixture<PostgresTidingsApp>;
