using System.Globalization;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Rest;

/// <summary>One account with a database "Shop", a collection "Orders", a profile and a subprofile, for path checks.</summary>
public sealed class SeededPathsApp : TidingsApp
{
    public ApiClient Client { get; private set; } = null!;

    public IReadOnlyDictionary<string, string> Ids { get; private set; } = new Dictionary<string, string>();

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Client = await NewAccountAsync();
        var db = await Client.CreateDatabaseAsync("Shop", ("email", "email"));
        var collection = await Client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        await Client.CreateAsync($"/v3/collection/{collection}/fields", new { name = "total", type = "integer" });
        var profile = await Client.CreateProfileAsync(db, new { email = "a@b.nl" });
        var subprofile = await Client.CreateAsync($"/v3/profile/{profile}/subprofiles/{collection}", new { total = 5 });
        Ids = new Dictionary<string, string> { ["{db}"] = db.S(), ["{c}"] = collection.S(), ["{p}"] = profile.S(), ["{s}"] = subprofile.S() };
    }

    /// <summary>The path with the seeded ids filled in, under <c>/v3/</c> unless it starts with a slash.</summary>
    public string Path(string template)
    {
        var path = Ids.Aggregate(template, (p, id) => p.Replace(id.Key, id.Value, StringComparison.Ordinal));
        return path.StartsWith('/') ? path : "/v3/" + path;
    }

    /// <summary>Sends the method to the path with an empty JSON object as body for POST and PUT.</summary>
    public Task<HttpResponseMessage> SendAsync(string method, string template) =>
        Client.SendAsync(new HttpMethod(method), Path(template), method is "POST" or "PUT" ? "{}" : null);
}

/// <summary>
/// Copernica's order of errors on entity paths (§1.5, following the live-API cases of rmuit/copernica-api's
/// ApiBehaviorTest): too few elements, then the entity's id, then the method — as a matrix of paths and methods.
/// </summary>
public sealed class PathPrecedenceTests(SeededPathsApp app) : IClassFixture<SeededPathsApp>
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE"];

    private static readonly Dictionary<string, string> NotFound = new()
    {
        ["database"] = "No database with supplied ID",
        ["collection"] = "No collection with given ID",
        ["profile"] = "No entity with supplied ID",
        ["subprofile"] = "No subprofile with supplied ID",
    };

    private static string Missing(int element) => $"Invalid request, element {element} is missing in 'directory' path";

    /// <summary>A known path with too few elements, with or without trailing slashes, on any version prefix.</summary>
    public static TheoryData<string, string, string> TooFewElements()
    {
        var data = new TheoryData<string, string, string>();
        var cases = new List<(string Method, string Path, int Element)>();
        foreach (var root in NotFound.Keys)
        {
            cases.AddRange(Methods.Select(m => (m, root, 1)));
        }

        cases.AddRange(new[] { "GET", "POST", "PUT" }.Select(m => (m, "profile/{p}/subprofiles", 3)));
        cases.AddRange(new[] { "POST", "PUT", "DELETE" }.SelectMany(m => new[] { (m, "database/{db}/field", 3), (m, "collection/{c}/field", 3) }));
        foreach (var (method, path, element) in cases)
        {
            foreach (var variant in new[] { path, path + "/", path + "//", "/v2/" + path, "/" + path + "/" })
            {
                data.Add(method, variant, Missing(element));
            }
        }

        return data;
    }

    /// <summary>
    /// An id that names nothing — unknown, zero, negative, signed, with a space, empty, or a known child name in its
    /// place — gives the entity's own message whatever follows it and whatever the method.
    /// </summary>
    public static TheoryData<string, string, string> UnknownEntity()
    {
        var children = new Dictionary<string, string[]>
        {
            ["database"] = ["collections", "copy", "field", "fields", "intentions", "interests", "profileids", "profiles", "views", "unsubscribe", "/{db}"],
            ["collection"] = ["field", "fields", "intentions", "miniviews", "subprofileids", "subprofiles", "unsubscribe", "/{c}"],
            ["profile"] = ["datarequest", "fields", "files", "interests", "ms/destinations", "publisher/emailings", "subprofiles", "subprofiles/{c}", "/{p}"],
            ["subprofile"] = ["datarequest", "fields", "ms/destinations", "publisher/emailings", "/{s}"],
        };
        var data = new TheoryData<string, string, string>();
        foreach (var (root, message) in NotFound)
        {
            var suffixes = new List<string> { "987654321", "0", "-1", "+6", "1%20", "%201", "NoSuchName", "bogus/path", "/bogus" };
            foreach (var child in children[root]) suffixes.AddRange([$"0/{child}", $"/{child}", child]);
            foreach (var method in Methods)
            {
                foreach (var suffix in suffixes) data.Add(method, $"{root}/{suffix}", message);
            }
        }

        return data;
    }

    /// <summary>A valid entity followed by components that lead to no endpoint for the method.</summary>
    public static TheoryData<string, string> NoEndpointForTheMethod()
    {
        var cases = new (string Method, string Base, string[] Suffixes)[]
        {
            ("GET", "database/{db}", ["copy", "field/1", "intentions", "bogus"]),
            ("POST", "database/{db}", ["profileids", "profile", "subprofiles"]),
            ("PUT", "database/{db}", ["profileids", "profile", "subprofiles"]),
            ("DELETE", "database/{db}", ["", "copy", "fields", "interests", "profileids", "unsubscribe", "views"]),
            ("GET", "collection/{c}", ["field", "intentions"]),
            ("POST", "collection/{c}", ["subprofileids", "subprofiles"]),
            ("PUT", "collection/{c}", ["subprofileids"]),
            ("DELETE", "collection/{c}", ["", "fields", "intentions", "miniviews", "subprofileids", "subprofiles", "unsubscribe"]),
            ("GET", "profile/{p}", ["datarequest", "subprofile"]),
            ("POST", "profile/{p}", ["files", "ms", "publisher"]),
            ("PUT", "profile/{p}", ["files", "ms", "publisher"]),
            ("DELETE", "profile/{p}", ["datarequest", "fields", "files", "interests", "ms", "publisher", "subprofiles"]),
            ("GET", "subprofile/{s}", ["datarequest"]),
            ("POST", "subprofile/{s}", ["ms", "publisher"]),
            ("PUT", "subprofile/{s}", ["ms", "publisher"]),
            ("DELETE", "subprofile/{s}", ["datarequest", "fields", "ms", "publisher"]),
        };
        var data = new TheoryData<string, string>();
        foreach (var (method, path, suffixes) in cases)
        {
            foreach (var suffix in suffixes.Concat(["0", "/0"]))
            {
                data.Add(method, suffix.Length == 0 ? path : $"{path}/{suffix}");
            }
        }

        return data;
    }

    /// <summary>Paths are case-sensitive: any other spelling of a path, versioned or not, leads nowhere.</summary>
    private static readonly string[] OtherCasePaths =
    [
        "/v3/PROFILE/{p}", "/PROFILE/{p}", "/Profile/{p}", "/v2/PROFILE/{p}", "/V3/profile/{p}", "/V2/profile/{p}",
        "/v3/profile/{p}/FIELDS", "/profile/{p}/Fields", "/v3/Database/{db}", "/DATABASE/{db}/fields",
        "/v3/database/{db}/Profiles", "/database/{db}/PROFILES/extra", "/v3/DATABASES", "/Databases", "/v3/Identity",
        "/IDENTITY", "/v3/subprofile/{s}/FIELDS", "/v3/Collection/{c}", "/Consumption?begin=2024-01-01&end=2024-01-31",
    ];

    public static TheoryData<string, string> OtherCase()
    {
        var data = new TheoryData<string, string>();
        foreach (var method in Methods)
        {
            foreach (var path in OtherCasePaths) data.Add(method, path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TooFewElements))]
    public async Task Too_few_elements_say_which_element_is_missing(string method, string path, string message) =>
        await (await app.SendAsync(method, path)).ShouldBeCopernicaErrorAsync(message);

    [Theory]
    [MemberData(nameof(UnknownEntity))]
    public async Task An_id_that_names_nothing_gives_the_entitys_message_first(string method, string path, string message) =>
        await (await app.SendAsync(method, path)).ShouldBeCopernicaErrorAsync(message);

    [Theory]
    [MemberData(nameof(NoEndpointForTheMethod))]
    public async Task A_valid_entity_followed_by_nothing_known_for_the_method_is_invalid_method(string method, string path) =>
        await (await app.SendAsync(method, path)).ShouldBeCopernicaErrorAsync("Invalid method");

    [Theory]
    [MemberData(nameof(OtherCase))]
    public async Task A_path_in_another_case_is_invalid_method(string method, string path) =>
        await (await app.SendAsync(method, path)).ShouldBeCopernicaErrorAsync("Invalid method");

    [Fact]
    public async Task Nothing_changed_after_the_matrix_of_refused_writes()
    {
        foreach (var method in new[] { "POST", "PUT", "DELETE" })
        {
            foreach (var path in OtherCasePaths) await (await app.SendAsync(method, path)).ShouldBeCopernicaErrorAsync("Invalid method");
        }

        var profile = await app.Client.GetJsonAsync(app.Path("profile/{p}"));
        profile["removed"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.False);
        profile["fields"].Str("email").ShouldBe("a@b.nl");
        (await app.Client.GetJsonAsync(app.Path("subprofile/{s}")))["removed"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.False);
    }

    [Theory]
    [InlineData("database/{db}/")]
    [InlineData("database/{db}//")]
    [InlineData("database/{db}//fields")]
    [InlineData("database/{db}/fields//")]
    [InlineData("database/shop/fields")]
    [InlineData("database/SHOP")]
    [InlineData("/v2/database/{db}//profiles///bogus")]
    [InlineData("profile/{p}//fields")]
    [InlineData("profile/{p}/subprofiles//Orders")]
    [InlineData("profile/{p}/subprofiles/oRDERS/")]
    [InlineData("collection/{c}//subprofiles")]
    [InlineData("subprofile/{s}///")]
    public async Task Extra_slashes_and_names_in_any_case_still_reach_the_endpoint(string path) =>
        await (await app.Client.GetAsync(app.Path(path))).ShouldHaveStatusAsync(200);

    [Fact]
    public async Task Ids_with_leading_zeros_name_the_same_entity()
    {
        (await app.Client.GetJsonAsync(app.Path("profile/000{p}"))).Str("ID").ShouldBe(app.Ids["{p}"]);
        (await app.Client.GetJsonAsync(app.Path("subprofile/0{s}/fields"))).Str("total").ShouldBe("5");
        (await app.Client.GetJsonAsync(app.Path("database/00{db}"))).Str("ID").ShouldBe(app.Ids["{db}"]);
        (await app.Client.GetJsonAsync(app.Path("collection/0{c}"))).Str("ID").ShouldBe(app.Ids["{c}"]);
        (await app.Client.GetJsonAsync(app.Path("profile/{p}/subprofiles/0{c}"))).DataIds().ShouldBe([app.Ids["{s}"]]);
    }

    [Fact]
    public async Task A_bad_token_is_reported_before_the_path()
    {
        foreach (var path in new[] { "/v3/database", "/v3/profile/987654321/fields", "/v3/database/{db}/bogus" })
        {
            var response = await app.Client.Http.GetAsync(app.Path(path) + "?access_token=wrong", TestContext.Current.CancellationToken);
            await response.ShouldBeCopernicaErrorAsync("Invalid access token");
        }
    }

    [Fact]
    public async Task An_entity_of_another_account_is_unknown_on_every_path()
    {
        var other = await app.NewAccountAsync("Other");
        foreach (var (root, message) in NotFound)
        {
            var id = app.Ids[root switch { "database" => "{db}", "collection" => "{c}", "profile" => "{p}", _ => "{s}" }];
            await (await other.GetAsync($"/v3/{root}/{id}")).ShouldBeCopernicaErrorAsync(message);
            await (await other.SendAsync(HttpMethod.Delete, $"/v3/{root}/{id}/fields")).ShouldBeCopernicaErrorAsync(message);
        }
    }

    [Fact]
    public async Task An_id_too_large_for_a_number_is_unknown()
    {
        var huge = "9" + new string('0', 30);
        foreach (var (root, message) in NotFound)
        {
            await (await app.Client.GetAsync($"/v3/{root}/{huge}")).ShouldBeCopernicaErrorAsync(message);
        }

        await (await app.Client.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/v3/profile/{long.MaxValue}"))).ShouldBeCopernicaErrorAsync(NotFound["profile"]);
    }
}
