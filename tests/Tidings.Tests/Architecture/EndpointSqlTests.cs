using System.Data.Common;

namespace Tidings.Tests.Architecture;

/// <summary>
/// SQL stays in the feature's store: an endpoint class (REST, tracking) reads the request, calls a service or store and
/// writes the answer, so SOAP and the dashboard reach the same data the same way. Neither Dapper nor a
/// <see cref="DbCommand"/> may appear in one.
/// </summary>
public sealed class EndpointSqlTests
{
    [Fact]
    public void No_endpoint_class_runs_sql_itself()
    {
        var offences = typeof(Program).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("Tidings.", StringComparison.Ordinal) == true && !t.IsNested && t.Name.EndsWith("Endpoints", StringComparison.Ordinal))
            .SelectMany(t => TypeReferences.Of(t).Where(IsSql).Select(r => $"{t.FullName} -> {r.FullName}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        offences.ShouldBeEmpty("endpoint classes run SQL; move it into the feature's store:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void The_reference_reader_sees_dapper_calls_in_a_method_body()
    {
        // Guards the rule above: the stores call Dapper inside async methods, and the reader must see that.
        TypeReferences.Of(typeof(Tidings.Mailings.MailingStore)).ShouldContain(t => IsSql(t));
    }

    private static bool IsSql(Type t) => t.Namespace == "Dapper" || typeof(DbCommand).IsAssignableFrom(t);
}
