namespace Tidings.Tests.Architecture;

/// <summary>
/// The cycles of a namespace dependency graph: each strongly connected component of more than one namespace
/// (Tarjan's algorithm). A namespace that only refers to itself is no cycle.
/// </summary>
internal static class NamespaceCycles
{
    /// <param name="edges">From namespace to the namespaces it refers to.</param>
    /// <returns>Each cycle's namespaces, sorted; the cycles sorted by their first namespace.</returns>
    public static IReadOnlyList<IReadOnlyList<string>> Find(IReadOnlyDictionary<string, IReadOnlySet<string>> edges)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var lowLink = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var cycles = new List<IReadOnlyList<string>>();

        void Visit(string node)
        {
            index[node] = lowLink[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in edges.GetValueOrDefault(node) ?? new HashSet<string>())
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    lowLink[node] = Math.Min(lowLink[node], lowLink[next]);
                }
                else if (onStack.Contains(next))
                {
                    lowLink[node] = Math.Min(lowLink[node], index[next]);
                }
            }
            if (lowLink[node] != index[node])
                return;
            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            }
            while (member != node);
            if (component.Count > 1)
                cycles.Add(component.Order(StringComparer.Ordinal).ToList());
        }

        foreach (var node in edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
                Visit(node);
        }
        return cycles.OrderBy(c => c[0], StringComparer.Ordinal).ToList();
    }
}
