using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.ApiDocs;

/// <summary>
/// Tools can use the OpenAPI document: npm's Redocly linter finds no error in it (rules in client/lint.redocly.yaml),
/// and a client generated from it offline (openapi-typescript types, openapi-fetch requests) type-checks with tsc and
/// calls a running server: creates a database, a field and a profile, lists profiles, reads errors (client/check.ts).
/// They do not depend on the store, so they run in the SQLite pass only.
/// </summary>
public sealed class OpenApiClientTests(KestrelTidingsApp app) : IClassFixture<KestrelTidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string DocumentFile = Path.Combine(ClientCheckProject.Generated, "openapi.json");

    [Fact]
    public async Task Redocly_finds_no_error_in_the_document()
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, "Runs in the SQLite pass: it does not depend on the store.");
        await WriteDocumentAsync();

        var (exitCode, output) = await ClientCheckProject.RunAsync("redocly", ["lint", "generated/openapi.json", "--config", "lint.redocly.yaml", "--format", "stylish"]);

        exitCode.ShouldBe(0, output);
        output.ShouldContain("Your API description is valid", customMessage: output);
    }

    [Fact]
    public async Task A_client_generated_from_the_document_type_checks_and_calls_the_server()
    {
        Assert.SkipWhen(TidingsApp.SuiteOnPostgres, "Runs in the SQLite pass: it does not depend on the store.");
        await WriteDocumentAsync();
        var client = await app.NewAccountAsync("OpenAPI client");

        var generate = await ClientCheckProject.RunAsync("openapi-typescript", ["generated/openapi.json", "--output", "generated/schema.d.ts"]);
        generate.ExitCode.ShouldBe(0, generate.Output);
        var compile = await ClientCheckProject.RunAsync("tsc", ["--project", "tsconfig.json"]);
        compile.ExitCode.ShouldBe(0, compile.Output);
        var run = await ClientCheckProject.RunAsync("node", ["generated/out/check.js"], new Dictionary<string, string>
        {
            ["TIDINGS_URL"] = app.BaseAddress.ToString().TrimEnd('/'),
            ["TIDINGS_TOKEN"] = client.Token,
        });
        run.ExitCode.ShouldBe(0, run.Output);

        // What the generated client created is really there, for this account.
        var created = JsonNode.Parse(run.Output.Trim().Split('\n')[^1])!;
        created["accountId"]!.GetValue<string>().ShouldBe(client.AccountId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var profile = await client.GetJsonAsync($"/v3/profile/{created["profileId"]!.GetValue<string>()}");
        profile["database"]!.GetValue<string>().ShouldBe(created["databaseId"]!.GetValue<string>());
        profile["fields"]!["email"]!.GetValue<string>().ShouldBe("ada.lovelace@example.com");
    }

    private async Task WriteDocumentAsync()
    {
        var document = await app.CreateClient().GetStringAsync("/openapi/v1.json", Ct);
        Directory.CreateDirectory(ClientCheckProject.Generated);
        await File.WriteAllTextAsync(DocumentFile, document, Ct);
    }
}
