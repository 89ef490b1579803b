using System.Text.Json;
using System.Text.Json.Nodes;
using Tidings.Tests.Dashboard;
using Tidings.Tests.Infrastructure;
using Tidings.Users;

namespace Tidings.Tests.Soap;

/// <summary>
/// The npm <c>soap</c> client, given only the WSDL URL and a token, against a running server: it builds every call from
/// the WSDL (rpc/literal, one part named <c>parameters</c>) and reads every answer's <c>result</c>. Runs in the SQLite
/// pass; fails under CI when node or the package is missing, skips elsewhere.
/// </summary>
public sealed class SoapNodeClientTests(KestrelTidingsApp app) : IClassFixture<KestrelTidingsApp>
{
    private static readonly NpmProject Project = new(
        Path.Combine("tests", "Tidings.Tests", "Soap", "node"), "run the npm soap client",
        folder => Directory.Exists(Path.Combine(folder, "node_modules", "soap")));

    [Fact(Skip = "Does not depend on the storage provider: runs in the SQLite pass", SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task The_npm_soap_client_calls_the_methods_from_the_wsdl_alone()
    {
        var client = await app.NewAccountAsync("Node Co");
        var db = await client.CreateDatabaseAsync("Node Persons", ("email", "email"), ("name", "text"));
        var (user, password) = await DashboardBrowser.NewUserAsync(app, UserRole.ReadOnly, accountId: client.AccountId);
        await Project.RequireAsync();

        var input = JsonSerializer.Serialize(new
        {
            wsdl = new Uri(app.BaseAddress, "/?SOAPAPI=WSDL").ToString(), token = client.Token, database = "Node Persons",
            login = new { username = user.Email, password, account = "Node Co" },
        });
        var (exitCode, output) = await ScriptProcess.RunAsync("node", ["soap-client.js"], Project.Folder, input,
            reason => Project.Unavailable($"node could not be started ({reason})"), timeout: TimeSpan.FromMinutes(1));

        exitCode.ShouldBe(0, output);
        var result = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        result["operations"]!.AsArray().Select(o => o!.ToString()).ShouldContain("Database_searchProfiles");
        result["database"]!.ToString().ShouldBe(db.S());
        result["missing"]!.GetValue<bool>().ShouldBeFalse("an unknown name is an empty result, not a fault");
        result["databases"]!.ToString().ShouldBe("1");
        result["retrieve"]!.ToString().ShouldBe("Node Persons");
        result["fields"]!.AsArray().Select(f => f!.ToString()).ShouldBe(["email", "name"]);
        result["found"]!.ToString().ShouldBe("1");
        result["foundId"]!.ToString().ShouldBe(result["profile"]!.ToString());
        result["updated"]!.ToString().ShouldBe("1");
        result["name"]!.ToString().ShouldBe("Nodey");
        result["fault"]!.ToString().ShouldBe("SOAP-ENV:Client");
        result["login"]!.ToString().ShouldBe("1");
        result["sessionDatabases"]!.ToString().ShouldBe("1", "the soap_session cookie authenticates the call");
        var rest = await client.GetJsonAsync($"/v3/profile/{result["profile"]}");
        rest["fields"]!["name"]!.ToString().ShouldBe("Nodey", "the same row REST reads");
    }
}
