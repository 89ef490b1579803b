namespace Tidings.Tests.Architecture;

/// <summary>
/// The server is an application, not a library: its types are <c>internal</c>, and the tests reach them through
/// <c>InternalsVisibleTo</c>. A type is public only when another assembly needs it in a public signature of its own,
/// and then it is listed here with the reason, so a new public type fails this test until it is justified.
/// </summary>
public sealed class PublicSurfaceTests
{
    /// <summary>The server's public types (full names), each with why it cannot be internal.</summary>
    private static readonly Dictionary<string, string> Allowed = new(StringComparer.Ordinal)
    {
        ["Program"] = "the test fixtures are public (xunit needs them so) and derive from WebApplicationFactory<Program>",
    };

    [Fact]
    public void The_server_exports_no_type_beyond_the_justified_ones()
    {
        var unjustified = ExportedTypeNames().Where(name => !Allowed.ContainsKey(name)).ToList();

        unjustified.ShouldBeEmpty(
            "public types of the server that are not on the allow-list (make them internal, or add them with the reason "
            + "another assembly needs them):\n" + string.Join("\n", unjustified));
    }

    [Fact]
    public void Every_type_on_the_allow_list_is_still_public()
    {
        // A type made internal since leaves its entry behind; a stale entry would let the type become public again unnoticed.
        var stale = Allowed.Keys.Except(ExportedTypeNames(), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        stale.ShouldBeEmpty("allow-list entries that are no longer public types of the server:\n" + string.Join("\n", stale));
    }

    private static List<string> ExportedTypeNames() =>
        typeof(Program).Assembly.GetExportedTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal).ToList();
}
