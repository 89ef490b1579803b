using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.ApiDocs;

public sealed class ApiDocsTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    [Fact]
    public async Task OpenApi_document_describes_the_copernica_paths_with_token_paging_and_filter_parameters()
    {
        var client = app.CreateClient();
        var json = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!;
        var paths = json["paths"]!.AsObject();
        foreach (var path in new[] { "/v3/identity", "/v3/databases", "/v3/database/{id}/profiles", "/v3/profile/{id}", "/v3/subprofile/{id}", "/v3/collection/{id}/subprofiles" })
        {
            paths.ContainsKey(path).ShouldBeTrue(path);
        }

        var list = paths["/v3/database/{id}/profiles"]!["get"]!;
        var names = list["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
        names.ShouldContain("access_token");
        names.ShouldContain("limit");
        names.ShouldContain("fields[]");
        list["responses"]!["400"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Api_reference_page_is_served()
    {
        var client = app.CreateClient();
        var html = await client.GetStringAsync("/docs/", TestContext.Current.CancellationToken);
        html.ShouldContain("<html", Case.Insensitive);
        html.ShouldContain("openapi", Case.Insensitive);
    }
}
