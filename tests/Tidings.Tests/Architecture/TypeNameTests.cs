using System.CodeDom.Compiler;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Tidings.Tests.Architecture;

/// <summary>
/// Every type of the server has a simple name of its own: a name that means two things in two folders (there were two
/// <c>DeliveryEndpoints</c> once) makes the reader ask which one is meant. Nested types count too, private ones
/// included; types a compiler or source generator wrote are left out.
/// </summary>
public sealed class TypeNameTests
{
    [Fact]
    public void No_two_types_of_the_server_share_a_simple_name()
    {
        var duplicates = WrittenTypes(typeof(Program).Assembly)
            .GroupBy(SimpleName)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(t => t.FullName).Order(StringComparer.Ordinal))}")
            .Order(StringComparer.Ordinal)
            .ToList();

        duplicates.ShouldBeEmpty("types sharing a name:\n" + string.Join("\n", duplicates));
    }

    [Fact]
    public void The_check_sees_nested_types()
    {
        // Guards the filter above: if it dropped nested types, a duplicate nested name would go unnoticed.
        WrittenTypes(typeof(Program).Assembly).ShouldContain(t => t.IsNested && !t.IsNestedPublic);
    }

    private static IEnumerable<Type> WrittenTypes(Assembly assembly) =>
        assembly.GetTypes().Where(t =>
            t.Namespace?.StartsWith("Tidings", StringComparison.Ordinal) == true
            && !IsGenerated(t)
            && !(t.DeclaringType is { } outer && IsGenerated(outer)));

    private static bool IsGenerated(Type t) =>
        t.Name.Contains('<', StringComparison.Ordinal)
        || t.Name.StartsWith("__", StringComparison.Ordinal)
        || t.IsDefined(typeof(CompilerGeneratedAttribute), false)
        || t.IsDefined(typeof(GeneratedCodeAttribute), false);

    /// <summary>The name without the generic arity (<c>Foo`1</c> and <c>Foo</c> read the same in code).</summary>
    private static string SimpleName(Type t) => t.Name.Split('`')[0];
}
