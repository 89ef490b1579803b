using Tidings.Tests.Dashboard;
using Tidings.Tests.Infrastructure;
using Tidings.Users;

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

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Login_starts_a_session_that_phps_soapclient_keeps_by_its_cookie_as_pomsoapclient_1_6_does()
    {
        var (user, password) = await DashboardBrowser.NewUserAsync(app, UserRole.Editor, account: "Php Login Co");
        var schemas = await SoapResultSchema.LoadAsync(app.CreateClient(), Ct);

        var answers = await PhpSoap.RunAsync(app.BaseAddress,
            new PhpSoapCall("Account_databases"),
            new PhpSoapCall("login", new { username = user.Email, password, account = "Php Login Co" }),
            new PhpSoapCall("Account_createDatabase", new { name = "Made after login" }),
            new PhpSoapCall("Account_databases"));

        answers[0].FaultString.ShouldBe("Not logged on");
        answers[1].Ok["value"]!.ToString().ShouldBe("1");
        answers[1].ValidResult(schemas);
        answers[2].Ok["database"]!["name"]!.ToString().ShouldBe("Made after login");
        answers[3].Ok["items"]!["database"]!["name"]!.ToString().ShouldBe("Made after login");
    }
}
