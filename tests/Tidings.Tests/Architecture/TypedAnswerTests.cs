using System.Text.Json;

namespace Tidings.Tests.Architecture;

/// <summary>
/// REST answers are records serialised by source-generated contracts through one typed result
/// (<c>CopernicaJsonResult&lt;T&gt;</c>), so the shapes are types that SOAP and the dashboard can reuse and the exact
/// Copernica bytes are kept in one place. An endpoint that writes JSON by hand with a <see cref="Utf8JsonWriter"/>
/// brings back what this replaced.
/// </summary>
public sealed class TypedAnswerTests
{
    [Fact]
    public void No_endpoint_writes_its_json_answer_by_hand()
    {
        var offences = EndpointTypes()
            .Where(t => TypeReferences.Of(t).Contains(typeof(Utf8JsonWriter)))
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal)
            .ToList();

        offences.ShouldBeEmpty("these endpoint classes write JSON by hand; return CopernicaJson.Json(record, context) instead:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void The_check_covers_the_rest_endpoints()
    {
        // Guards the selection above: without endpoint classes the rule would hold vacuously.
        var names = EndpointTypes().Select(t => t.Name).ToList();
        names.ShouldContain("ProfileEndpoints");
        names.ShouldContain("WebhookEndpoints");
        names.ShouldContain("StatisticsEndpoints");
        names.Count.ShouldBeGreaterThan(15);
    }

    private static IEnumerable<Type> EndpointTypes() =>
        typeof(Program).Assembly.GetTypes().Where(t =>
            t.Namespace?.StartsWith("Tidings.", StringComparison.Ordinal) == true
            && !t.IsNested
            && (t.Name.EndsWith("Endpoints", StringComparison.Ordinal) || t.Name.EndsWith("Feature", StringComparison.Ordinal)));
}
