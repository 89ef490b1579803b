namespace Tidings.Tests.Architecture;

/// <summary>
/// No two namespaces of the server depend on each other, directly or through others, at any depth: a parent namespace
/// and its child are two namespaces too. Dependencies are read from the compiled server, method bodies included (see
/// <see cref="NamespaceDependencies"/>), so a cycle cannot hide in code that only calls across.
/// </summary>
public sealed class NamespaceCycleTests
{
    /// <summary>
    /// Dependencies known to close a cycle, left out of the graph until they are removed; each with why it is still
    /// there. None are left: a new cycle is fixed by moving a type, not by adding an entry.
    /// </summary>
    private static readonly (string From, string To, string Why)[] KnownCycleEdges = [];

    [Fact]
    public void No_namespaces_of_the_server_depend_on_each_other_in_a_cycle()
    {
        var references = ServerReferences();
        var edges = references
            .Where(r => !IsKnown(r))
            .GroupBy(r => NamespaceDependencies.NamespaceOf(r.From), StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlySet<string>)g.Select(r => NamespaceDependencies.NamespaceOf(r.To)).ToHashSet(StringComparer.Ordinal),
                StringComparer.Ordinal);

        var cycles = NamespaceCycles.Find(edges);

        cycles.ShouldBeEmpty("namespace cycles, with one type reference per edge:\n" + Describe(cycles, references));
    }

    [Fact]
    public void Every_known_cycle_edge_still_exists()
    {
        // A known edge that is gone must leave the list, or it would let its cycle come back unnoticed.
        var references = ServerReferences();
        var gone = KnownCycleEdges.Where(k => !references.Any(r =>
                NamespaceDependencies.NamespaceOf(r.From) == k.From && NamespaceDependencies.NamespaceOf(r.To) == k.To))
            .Select(k => $"{k.From} -> {k.To}")
            .ToList();

        gone.ShouldBeEmpty("remove from KnownCycleEdges: " + string.Join(", ", gone));
    }

    [Fact]
    public void The_detector_finds_a_cycle_through_several_namespaces_and_between_parent_and_child()
    {
        var edges = new Dictionary<string, IReadOnlySet<string>>
        {
            ["A"] = new HashSet<string> { "B", "D" },
            ["B"] = new HashSet<string> { "C" },
            ["C"] = new HashSet<string> { "A", "C" },
            ["D"] = new HashSet<string> { "E" },
            ["X"] = new HashSet<string> { "X.Y" },
            ["X.Y"] = new HashSet<string> { "X" },
        };

        NamespaceCycles.Find(edges).Select(c => string.Join(",", c)).ShouldBe(["A,B,C", "X,X.Y"]);
    }

    [Fact]
    public void The_dependency_reader_sees_references_made_only_inside_method_bodies()
    {
        // Program.cs composes the features only in its body: if bodies were not read, it would seem to depend on none.
        NamespaceDependencies.Read(typeof(Program).Assembly)
            .ShouldContain(r => r.From == "Program" && r.To.StartsWith("Tidings.Accounts.", StringComparison.Ordinal));
    }

    private static List<NamespaceDependencies.Reference> ServerReferences() =>
        NamespaceDependencies.Read(typeof(Program).Assembly).Where(r => IsServer(r.From) && IsServer(r.To)).ToList();

    private static bool IsServer(string fullName) => fullName.StartsWith("Tidings.", StringComparison.Ordinal);

    private static bool IsKnown(NamespaceDependencies.Reference r) => KnownCycleEdges.Any(k =>
        NamespaceDependencies.NamespaceOf(r.From) == k.From && NamespaceDependencies.NamespaceOf(r.To) == k.To);

    private static string Describe(IEnumerable<IReadOnlyList<string>> cycles, IReadOnlyList<NamespaceDependencies.Reference> references)
    {
        var lines = new List<string>();
        foreach (var cycle in cycles)
        {
            lines.Add("cycle: " + string.Join(" <-> ", cycle));
            var members = cycle.ToHashSet(StringComparer.Ordinal);
            foreach (var edge in references
                .Where(r => NamespaceDependencies.NamespaceOf(r.From) != NamespaceDependencies.NamespaceOf(r.To))
                .Where(r => members.Contains(NamespaceDependencies.NamespaceOf(r.From)) && members.Contains(NamespaceDependencies.NamespaceOf(r.To)))
                .GroupBy(r => (From: NamespaceDependencies.NamespaceOf(r.From), To: NamespaceDependencies.NamespaceOf(r.To)))
                .OrderBy(g => g.Key.From, StringComparer.Ordinal).ThenBy(g => g.Key.To, StringComparer.Ordinal))
            {
                var example = edge.OrderBy(r => r.From, StringComparer.Ordinal).ThenBy(r => r.To, StringComparer.Ordinal).First();
                lines.Add($"  {edge.Key.From} -> {edge.Key.To}: {example.From} -> {example.To} ({edge.Count()} references)");
            }
        }
        return string.Join("\n", lines);
    }
}
