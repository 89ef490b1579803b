using System.Net;
using System.Security;
using System.Text;
using System.Xml.Linq;
using Tidings.Tests.Dashboard;
using Tidings.Tests.Soap;
using Tidings.Users;

namespace Tidings.Tests.RateLimiting;

/// <summary>
/// SOAP over the limit: a client Fault naming the limit, with <c>Retry-After</c>; by access token, and for a signed-in
/// user by user and account, whichever session or per-call <c>login</c> the calls come with.
/// </summary>
public sealed class SoapRateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    private static readonly XNamespace Env = "http://schemas.xmlsoap.org/soap/envelope/";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpResponseMessage Response, XElement Body)> CallAsync(string method, string members, string? token, string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(SoapTests.Envelope(method, members, token), Encoding.UTF8, "text/xml") };
        if (cookie is not null) request.Headers.Add("Cookie", $"soap_session={cookie}");
        var response = await app.CreateClient().SendAsync(request, Ct);
        var body = XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).Root!.Element(Env + "Body")!.Elements().Single();
        return (response, body);
    }

    private static void ShouldSucceed((HttpResponseMessage Response, XElement Body) answer) =>
        answer.Response.StatusCode.ShouldBe(HttpStatusCode.OK, answer.Body.ToString());

    private static void ShouldBeRefused((HttpResponseMessage Response, XElement Body) answer, string whose)
    {
        answer.Response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError, answer.Body.ToString());
        answer.Body.Name.ShouldBe(Env + "Fault");
        answer.Body.Element("faultcode")!.Value.ShouldBe("SOAP-ENV:Client");
        answer.Body.Element("faultstring")!.Value.ShouldStartWith($"Rate limit exceeded: at most 3 calls per 3600 seconds for {whose}");
        answer.Response.Headers.RetryAfter?.Delta.ShouldNotBeNull("a refused call says when to try again");
    }

    [Fact]
    public async Task A_token_over_its_limit_gets_a_client_Fault_and_the_call_does_nothing()
    {
        var client = await app.NewAccountAsync();
        for (var i = 0; i < RateLimitedApp.PermitLimit; i++) ShouldSucceed(await CallAsync("Account_databases", "", client.Token));

        ShouldBeRefused(await CallAsync("Account_createDatabase", "<name>Never made</name>", client.Token), "this access token");

        var other = await app.NewTokenAsync(client, canWrite: false);
        (await other.GetJsonAsync("/v3/databases"))["total"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task A_user_has_one_budget_across_login_sessions_and_per_call_logins()
    {
        var (user, password) = await DashboardBrowser.NewUserAsync(app, UserRole.Editor, account: "Limited Co");
        var login = $"<username>{SecurityElement.Escape(user.Email)}</username><password>{SecurityElement.Escape(password)}</password><account>Limited Co</account>";
        var first = await LogInAsync(login);
        var second = await LogInAsync(login);

        ShouldSucceed(await CallAsync("Account_databases", "", null, first));
        ShouldSucceed(await CallAsync("Account_databases", "", null, second));
        ShouldSucceed(await CallAsync("Account_databases", $"<login>{login}</login>", null));

        ShouldBeRefused(await CallAsync("Account_databases", "", null, first), "this user");
        ShouldBeRefused(await CallAsync("Account_databases", "", null, second), "this user");
        ShouldBeRefused(await CallAsync("Account_databases", $"<login>{login}</login>", null), "this user");
    }

    private async Task<string> LogInAsync(string login)
    {
        var (response, body) = await CallAsync("login", login, null);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("soap_session=", StringComparison.Ordinal));
        return setCookie.Split(';')[0]["soap_session=".Length..];
    }
}
