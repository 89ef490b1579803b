namespace Tidings.Tests.Dashboard.Browser;

/// <summary>
/// The browser tests share one chromium and one server, and run one after another: each drives a whole browser, and
/// the machine has two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DashboardBrowserCollection : ICollectionFixture<SharedChromium>, ICollectionFixture<DashboardApp>
{
    public const string Name = "Dashboard in a browser";

    /// <summary>Why the browser tests skip in the PostgreSQL pass of the suite.</summary>
    public const string SqlitePassOnly = "Runs in the SQLite pass: it tests the pages in a browser, not the store.";
}
