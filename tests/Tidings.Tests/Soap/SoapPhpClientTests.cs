using System.Text.Json;
using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Soap;

/// <summary>
/// PHP's own <c>SoapClient</c> (Debian php-cli and php-soap), given only the WSDL URL and a token, against a running
/// server: Copernica's call sequence over the implemented methods. Runs in the SQLite pass; fails under CI when PHP or
/// its soap extension is missing, skips elsewhere.
/// </summary>
public sealed class SoapPhpClientTests(KestrelTidingsApp app) : IClassFixture<KestrelTidingsApp>
{
    [Fact(Skip = "Does not depend on the storage provider: runs in the SQLite pass", SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Phps_soapclient_calls_every_method_from_the_wsdl_alone()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Fictional Persons 3", ("email", "email"), ("name", "text"));
        await PhpSoap.RequireSoapExtensionAsync();

        var input = JsonSerializer.Serialize(new { wsdl = new Uri(app.BaseAddress, "/?SOAPAPI=WSDL").ToString(), token = client.Token, database = "Fictional Persons 3" });
        var (exitCode, output) = await ScriptProcess.RunAsync("php", ["soap-client.php"], PhpSoap.Folder(), input,
            reason => MissingDependency.Report("run PHP's SoapClient", $"php could not be started ({reason}); install the Debian packages php-cli and php-soap"),
            timeout: TimeSpan.FromMinutes(1));

        exitCode.ShouldBe(0, output);
        var result = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        result["database"]!.ToString().ShouldBe(db.S());
        result["missing"]!.GetValue<bool>().ShouldBeFalse();
        result["databases"]!.ToString().ShouldBe("1");
        result["created"]!.ToString().ShouldBe("Children");
        result["retrieve"]!.ToString().ShouldBe("Fictional Persons 3");
        result["fields"]!.AsArray().Select(f => f!.ToString()).ShouldBe(["email", "name"]);
        result["found"]!.ToString().ShouldBe("1");
        result["foundId"]!.ToString().ShouldBe(result["profile"]!.ToString());
        result["updated"]!.ToString().ShouldBe("1");
        result["name"]!.ToString().ShouldBe("Eddy");
        result["fault"]!.ToString().ShouldBe("SOAP-ENV:Client");
        result["gzipped"]!.GetValue<bool>().ShouldBeTrue();
        var rest = await client.GetJsonAsync($"/v3/profile/{result["profile"]}");
        rest["secret"]!.ToString().ShouldBe(result["code"]!.ToString());
        rest["fields"]!["name"]!.ToString().ShouldBe("Eddy");
    }
}
