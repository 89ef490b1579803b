using System.IO.Compression;
using System.Net;
using System.Security;
using System.Text;
using System.Xml.Linq;
using System.Xml.Schema;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Soap;

/// <summary>The SOAP API through the test server: the WSDL, Faults for every kind of bad request, and each method.</summary>
public sealed class SoapTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private const string SqlitePassOnly = "Does not depend on the storage provider: runs in the SQLite pass";
    private static readonly XNamespace Env = "http://schemas.xmlsoap.org/soap/envelope/";
    private static readonly XNamespace Wsdl = "http://schemas.xmlsoap.org/wsdl/";
    private static readonly XNamespace WsdlSoap = "http://schemas.xmlsoap.org/wsdl/soap/";
    private static readonly XNamespace Xsd = "http://www.w3.org/2001/XMLSchema";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The legacy login and every method the SOAP API mirrors from the REST data API.</summary>
    private static readonly string[] IssueMethods =
    [
        "login", "Account_databases", "Account_database", "Account_createDatabase",
        "Database_retrieve", "Database_update", "Database_remove", "Database_fields", "Database_field", "Database_createField",
        "Database_interests", "Database_createInterest", "Database_collections", "Database_createCollection", "Database_createProfile",
        "Database_searchProfiles", "Database_updateProfiles", "Database_removeProfiles", "Database_unsubscribeValues", "Database_setUnsubscribeValues",
        "Collection_retrieve", "Collection_fields", "Collection_field", "Collection_createField", "Collection_remove",
        "Collection_searchSubProfiles", "Collection_removeSubProfiles",
        "Profile_retrieve", "Profile_fields", "Profile_updateFields", "Profile_interests", "Profile_updateInterests", "Profile_remove",
        "Profile_createSubProfile", "Profile_searchSubProfiles", "Profile_updateSubProfiles",
        "SubProfile_retrieve", "SubProfile_fields", "SubProfile_updateFields", "SubProfile_update", "SubProfile_remove",
    ];

    public static string Envelope(string method, string members, string? token) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" +
        $"<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"{Env.NamespaceName}\" xmlns:ns1=\"urn:api\"><SOAP-ENV:Body><ns1:{method}><parameters>" +
        members + (token is null ? "" : $"<access_token>{SecurityElement.Escape(token)}</access_token>") +
        $"</parameters></ns1:{method}></SOAP-ENV:Body></SOAP-ENV:Envelope>";

    private async Task<(HttpStatusCode Status, XElement Body)> PostAsync(HttpContent content, HttpClient? http = null)
    {
        var response = await (http ?? app.CreateClient()).PostAsync("/", content, Ct);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/xml");
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, XDocument.Parse(text).Root!.Element(Env + "Body")!.Elements().Single());
    }

    private async Task<XElement> CallAsync(ApiClient client, string method, string members = "")
    {
        var (status, body) = await PostAsync(new StringContent(Envelope(method, members, client.Token), Encoding.UTF8, "text/xml"));
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.Name.ShouldBe(XName.Get(method + "Response", "urn:api"));
        var result = body.Element("result")!;
        await ShouldMatchResultTypeAsync(result);
        return result;
    }

    private async Task ShouldMatchResultTypeAsync(XElement result) => SoapResultSchema.ShouldMatch(result, await WsdlSchemasAsync());

    private XmlSchemaSet? _schemas;

    private async Task<XmlSchemaSet> WsdlSchemasAsync() => _schemas ??= await SoapResultSchema.LoadAsync(app.CreateClient(), Ct);

    private async Task<string> FaultAsync(HttpContent content, string code = "SOAP-ENV:Client")
    {
        var (status, body) = await PostAsync(content);
        status.ShouldBe(HttpStatusCode.InternalServerError);
        body.Name.ShouldBe(Env + "Fault");
        body.Element("faultcode")!.Value.ShouldBe(code);
        return body.Element("faultstring")!.Value;
    }

    private static StringContent Xml(string text) => new(text, Encoding.UTF8, "text/xml");

    private static ByteArrayContent Gzip(byte[] raw)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal)) gzip.Write(raw);
        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/xml");
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    [Theory(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    [InlineData("/?SOAPAPI=WSDL")]
    [InlineData("/?wsdl")]
    public async Task The_wsdl_has_the_names_generated_copernica_proxies_expect_and_the_servers_own_address(string path)
    {
        var response = await app.CreateClient().GetAsync(path, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var wsdl = XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).Root!;
        wsdl.Name.ShouldBe(Wsdl + "definitions");
        var service = wsdl.Element(Wsdl + "service")!;
        service.Attribute("name")!.Value.ShouldBe("POM_SOAP_API");
        var port = service.Element(Wsdl + "port")!;
        port.Attribute("name")!.Value.ShouldBe("POMPort");
        port.Element(WsdlSoap + "address")!.Attribute("location")!.Value.ShouldBe("http://localhost/");
        wsdl.Element(Wsdl + "portType")!.Attribute("name")!.Value.ShouldBe("POMPortType");
        wsdl.Element(Wsdl + "binding")!.Element(WsdlSoap + "binding")!.Attribute("style")!.Value.ShouldBe("rpc");
        var operations = wsdl.Element(Wsdl + "portType")!.Elements(Wsdl + "operation").Select(o => o.Attribute("name")!.Value).ToList();
        operations.Order(StringComparer.Ordinal).ShouldBe(IssueMethods.Order(StringComparer.Ordinal), "every method of Copernica's that Tidings answers, once each");
        var types = wsdl.Element(Wsdl + "types")!.Element(Xsd + "schema")!.Elements(Xsd + "complexType").Select(t => t.Attribute("name")!.Value).ToList();
        types.ShouldContain("Result");
        types.ShouldContain("Map");
        types.ShouldContain("Pair");
        types.ShouldContain("input_Account_database");
        var messages = wsdl.Elements(Wsdl + "message").ToList();
        messages.Single(m => m.Attribute("name")!.Value == "Account_databaseRequest").Element(Wsdl + "part")!.Attribute("name")!.Value.ShouldBe("parameters");
        messages.Single(m => m.Attribute("name")!.Value == "Account_databaseResponse").Element(Wsdl + "part")!.Attribute("type")!.Value.ShouldBe("tns:Result");
        var input = wsdl.Descendants(Xsd + "complexType").Single(t => t.Attribute("name")!.Value == "input_Profile_updateFields");
        input.Descendants(Xsd + "element").Select(e => e.Attribute("name")!.Value).ShouldBe(["id", "fields", "access_token", "login"]);
        wsdl.Descendants(Xsd + "complexType").Single(t => t.Attribute("name")!.Value == "Result").Element(Xsd + "choice").ShouldNotBeNull();
        (await WsdlSchemasAsync()).IsCompiled.ShouldBeTrue();
        var errors = new List<string>();
        new XDocument(new XElement("result", new XElement("value", "1"), new XElement("bogus"))).Validate(await WsdlSchemasAsync(), (_, e) => errors.Add(e.Message));
        errors.ShouldNotBeEmpty("the Result type should refuse what it does not declare");
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task The_wsdl_is_cached_by_etag()
    {
        var http = app.CreateClient();
        var first = await http.GetAsync("/?SOAPAPI=WSDL", Ct);
        var etag = first.Headers.ETag!;
        first.Headers.CacheControl!.MaxAge.ShouldNotBeNull();

        var again = new HttpRequestMessage(HttpMethod.Get, "/?SOAPAPI=WSDL");
        again.Headers.IfNoneMatch.Add(etag);
        (await http.SendAsync(again, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotModified);

        (await http.GetAsync("/?wsdl", Ct)).Headers.ETag!.Tag.ShouldBe(etag.Tag);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Bad_requests_get_client_faults_with_http_500()
    {
        var client = await app.NewAccountAsync();
        (await FaultAsync(Xml(Envelope("Account_databases", "", "not-a-token")))).ShouldBe("Invalid access token");
        (await FaultAsync(Xml(Envelope("Account_databases", "", null)))).ShouldBe("Not logged on");
        (await FaultAsync(Xml(Envelope("Account_nothing", "", client.Token)))).ShouldBe("Unknown method 'Account_nothing'");
        (await FaultAsync(Xml("<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"" + Env.NamespaceName + "\"><SOAP-ENV:Body><x>"))).ShouldStartWith("Malformed XML");
        (await FaultAsync(Xml("<Envelope><Body/></Envelope>"))).ShouldStartWith("Not a SOAP 1.1 Envelope");
        (await FaultAsync(Xml(Envelope("Database_retrieve", "", client.Token)))).ShouldBe("Missing parameter 'id'");
        (await FaultAsync(Xml(Envelope("Database_retrieve", "<id>999999</id>", client.Token)))).ShouldNotBeNullOrWhiteSpace();
        (await FaultAsync(Xml(Envelope("Account_databases", "<start>x</start>", client.Token)))).ShouldBe("Parameter 'start' is not a whole number");
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Dtds_and_entities_are_refused_so_nothing_is_expanded_or_fetched()
    {
        var client = await app.NewAccountAsync();
        var secretFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(secretFile, "secret-content", Ct);
        var xxe = $"<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file://{secretFile}\">]>" +
                  Envelope("Account_database", "<identifier>&x;</identifier>", client.Token)[38..];
        var bomb = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>" +
                   Envelope("Account_database", "<identifier>&b;</identifier>", client.Token)[38..];

        foreach (var body in new[] { xxe, bomb })
        {
            var fault = await FaultAsync(Xml(body));
            fault.ShouldStartWith("Malformed XML");
            fault.ShouldNotContain("secret-content");
        }

        File.Delete(secretFile);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Oversized_bodies_and_gzip_bombs_are_refused_and_gzip_works_both_ways()
    {
        var client = await app.NewAccountAsync();
        var huge = Envelope("Account_database", "<identifier>" + new string('a', 5 * 1024 * 1024) + "</identifier>", client.Token);
        (await FaultAsync(Xml(huge))).ShouldBe("Request body too large");

        var bomb = Encoding.UTF8.GetBytes(Envelope("Account_database", "<identifier>" + new string('a', 20 * 1024 * 1024) + "</identifier>", client.Token));
        (await FaultAsync(Gzip(bomb))).ShouldBe("Decompressed request body too large");

        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = Gzip(Encoding.UTF8.GetBytes(Envelope("Account_databases", "", client.Token))) };
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        var response = await app.CreateClient().SendAsync(request, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        await using var unzipped = new GZipStream(await response.Content.ReadAsStreamAsync(Ct), CompressionMode.Decompress);
        var xml = XDocument.Load(unzipped);
        xml.Descendants("total").Single().Value.ShouldBe("0");
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_bearer_header_authenticates_and_a_read_only_token_cannot_write()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", client.Token);
        var (status, body) = await PostAsync(Xml(Envelope("Database_retrieve", $"<id>{db}</id>", null)), http);
        status.ShouldBe(HttpStatusCode.OK);
        body.Element("result")!.Element("database")!.Element("name")!.Value.ShouldBe("Shop");

        var reader = await app.NewTokenAsync(client, canWrite: false);
        (await CallAsync(reader, "Database_retrieve", $"<id>{db}</id>")).Element("database").ShouldNotBeNull();
        var fault = await FaultAsync(Xml(Envelope("Database_createProfile", $"<id>{db}</id><fields><pair><key>email</key><value>a@b.nl</value></pair></fields>", reader.Token)));
        fault.ShouldContain("no write access");
        (await client.GetJsonAsync($"/v3/database/{db}/profiles"))["total"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task Databases_and_fields_are_read_as_rest_sees_them()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"), ("name", "text"));
        await client.CreateDatabaseAsync("Other");

        var list = await CallAsync(client, "Account_databases", "<start>0</start><length>1</length>");
        list.Element("start")!.Value.ShouldBe("0");
        list.Element("length")!.Value.ShouldBe("1");
        list.Element("total")!.Value.ShouldBe("2");
        list.Element("items")!.Elements("database").Single().Element("name")!.Value.ShouldBe("Shop");

        var found = await CallAsync(client, "Account_database", "<identifier>shop</identifier>");
        found.Elements().First().Name.LocalName.ShouldBe("database");
        found.Element("database")!.Element("id")!.Value.ShouldBe(db.S());
        (await CallAsync(client, "Account_database", "<identifier>Nothing</identifier>")).HasElements.ShouldBeFalse();

        var retrieved = (await CallAsync(client, "Database_retrieve", $"<id>{db}</id>")).Element("database")!;
        retrieved.Element("archived")!.Value.ShouldBe("0");
        retrieved.Element("unsubscribebehavior")!.Value.ShouldBe("nothing");

        var created = (await CallAsync(client, "Account_createDatabase", "<name>Fictional Persons 3</name><description>Test</description>")).Element("database")!;
        (await client.GetJsonAsync($"/v3/database/{created.Element("id")!.Value}")).Str("description").ShouldBe("Test");
        (await FaultAsync(Xml(Envelope("Account_createDatabase", "", client.Token)))).ShouldBe("Missing parameter 'name'");

        var fields = await CallAsync(client, "Database_fields", $"<id>{db}</id>");
        fields.Element("total")!.Value.ShouldBe("2");
        fields.Element("items")!.Elements("databasefield").Select(f => f.Element("name")!.Value).ShouldBe(["email", "name"]);
    }

    [Fact]
    public async Task A_profile_created_over_soap_is_the_row_rest_sees_and_is_searched_read_and_updated()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"), ("name", "text"));

        var created = (await CallAsync(client, "Database_createProfile",
            $"<id>{db}</id><fields><pair><key>email</key><value>ed@emmer.nl</value></pair><pair><key>name</key><value>Ed</value></pair></fields>")).Element("profile")!;
        var id = created.Element("id")!.Value;
        var rest = await client.GetJsonAsync($"/v3/profile/{id}");
        rest["fields"]!["email"]!.GetValue<string>().ShouldBe("ed@emmer.nl");
        rest.Str("secret").ShouldBe(created.Element("code")!.Value);
        var journal = await app.JournalAsync(client.AccountId);
        journal.Count(r => r.Type.Contains("create", StringComparison.OrdinalIgnoreCase) && r.Payload.ToJsonString().Contains("ed@emmer.nl", StringComparison.Ordinal)).ShouldBe(1);
        await client.CreateProfileAsync(db, new { email = "other@emmer.nl", name = "Other" });

        var search = await CallAsync(client, "Database_searchProfiles",
            $"<id>{db}</id><requirements><fieldname>email</fieldname><value>ed@emmer.nl</value><operator>=</operator></requirements><allproperties>1</allproperties>");
        search.Element("total")!.Value.ShouldBe("1");
        var found = search.Element("items")!.Elements("profile").Single();
        found.Element("id")!.Value.ShouldBe(id);
        found.Element("fields")!.Elements("pair").Single(p => p.Element("key")!.Value == "name").Element("value")!.Value.ShouldBe("Ed");
        (await CallAsync(client, "Database_searchProfiles", $"<id>{db}</id>")).Element("total")!.Value.ShouldBe("2");

        (await CallAsync(client, "Profile_retrieve", $"<id>{id}</id>")).Element("profile")!.Element("code")!.Value.ShouldBe(rest.Str("secret"));
        (await CallAsync(client, "Profile_updateFields", $"<id>{id}</id><fields><pair><key>name</key><value>Eddy</value></pair></fields>"))
            .Element("value")!.Value.ShouldBe("1");
        var map = (await CallAsync(client, "Profile_fields", $"<id>{id}</id>")).Element("map")!;
        map.Elements("pair").Select(p => (p.Element("key")!.Value, p.Element("value")!.Value)).ShouldBe([("email", "ed@emmer.nl"), ("name", "Eddy")]);
        (await client.GetJsonAsync($"/v3/profile/{id}"))["fields"]!["name"]!.GetValue<string>().ShouldBe("Eddy");
    }
}
