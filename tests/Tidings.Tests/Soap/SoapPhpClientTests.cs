using System.Text.Json;
using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Soap;

/// <summary>
/// PHP's own <c>SoapClient</c> (Debian php-cli and php-soap), given only the WSDL URL and a token, against a running
/// server: Copernica's call sequence (copernica-apis.md §2.5). Runs in the SQLite pass; fails under CI when PHP or
/// its soap extension is missing, skips elsewhere.
/// </summary>
public sealed class SoapPhpClientTests(KestrelTidingsApp app) : IClassFixture<KestrelTidingsApp>
{
    [Fact(Skip = "Does not depend on the storage provider: runs in the SQLite pass", SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Phps_soapclient_runs_copernicas_own_call_sequence_from_the_wsdl_alone()
    {
        var client = await app.NewAccountAsync();
        var old = await client.CreateDatabaseAsync("Fictional Persons 3", ("email", "email"));
        await PhpSoap.RequireSoapExtensionAsync();

        var input = JsonSerializer.Serialize(new { wsdl = new Uri(app.BaseAddress, "/?SOAPAPI=WSDL").ToString(), token = client.Token, database = "Fictional Persons 3" });
        var (exitCode, output) = await ScriptProcess.RunAsync("php", ["soap-client.php"], PhpSoap.Folder(), input,
            reason => MissingDependency.Report("run PHP's SoapClient", $"php could not be started ({reason}); install the Debian packages php-cli and php-soap"),
            timeout: TimeSpan.FromMinutes(1));

        exitCode.ShouldBe(0, output);
        var result = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        result["existing"]!.ToString().ShouldBe(old.S());
        result["removed"]!.ToString().ShouldBe("1");
        result["missing"]!.GetValue<bool>().ShouldBeFalse("the removed database is gone: an empty result, not a fault");
        result["fields"]!.AsArray().Select(f => f!.ToString()).ShouldBe(["FirstName:text", "LastName:text", "Email:email"]);
        result["collection"]!.ToString().ShouldBe("Children");
        result["collectionField"]!.ToString().ShouldBe("Name");
        result["found"]!.ToString().ShouldBe("1");
        result["foundIds"]!.AsArray().Select(i => i!.ToString()).ShouldBe([result["profile"]!.ToString()]);
        result["updated"]!.ToString().ShouldBe("1");
        result["email"]!.ToString().ShouldBe("eddy@emmer.nl");
        result["fault"]!.ToString().ShouldBe("SOAP-ENV:Client");
        result["gzipped"]!.GetValue<bool>().ShouldBeTrue();
        (await client.GetAsync($"/v3/database/{old}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        var subprofile = await client.GetJsonAsync($"/v3/subprofile/{result["subprofile"]}");
        subprofile["profile"]!.ToString().ShouldBe(result["profile"]!.ToString());
        subprofile["fields"]!["Name"]!.ToString().ShouldBe("Kid");
        var rest = await client.GetJsonAsync($"/v3/profile/{result["profile"]}");
        rest["secret"]!.ToString().ShouldBe(result["code"]!.ToString());
        rest["fields"]!["Email"]!.ToString().ShouldBe("eddy@emmer.nl");
    }
}
