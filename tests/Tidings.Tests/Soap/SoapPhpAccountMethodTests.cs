using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Soap;

/// <summary>
/// A test per method with PHP's own SoapClient, given only the WSDL URL and a token; each answer's <c>result</c> is
/// checked against the WSDL's <c>Result</c> type. The methods of one object are in a file of their own
/// (SoapPhpDatabaseMethodTests and so on); these are the Account_* methods.
/// </summary>
public sealed class SoapPhpAccountMethodTests(KestrelTidingsApp app) : IClassFixture<KestrelTidingsApp>
{
    private const string SqlitePassOnly = "Does not depend on the storage provider: runs in the SQLite pass";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Account_databases_pages_through_the_accounts_databases()
    {
        var client = await app.NewAccountAsync();
        await client.CreateDatabaseAsync("First");
        await client.CreateDatabaseAsync("Second");
        var schemas = await SoapResultSchema.LoadAsync(app.CreateClient(), Ct);

        var answer = await PhpSoap.CallAsync(app.BaseAddress, client.Token, "Account_databases", new { start = 1, length = 1 });

        answer.Ok["total"]!.ToString().ShouldBe("2");
        answer.Ok["start"]!.ToString().ShouldBe("1");
        answer.Ok["items"]!["database"]!["name"]!.ToString().ShouldBe("Second");
        answer.ValidResult(schemas);
    }
}
