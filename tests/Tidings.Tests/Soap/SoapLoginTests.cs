using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using System.Security;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using Tidings.Tests.Dashboard;
using Tidings.Tests.Infrastructure;
using Tidings.Users;

namespace Tidings.Tests.Soap;

/// <summary>
/// The legacy <c>login</c>: a dashboard user logs in with address, password and account, gets a <c>soap_session</c>
/// cookie whose session lives in the database, and shares the dashboard's lockout; calls without a valid session get
/// Copernica's Fault <c>Not logged on</c>.
/// </summary>
public sealed class SoapLoginTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static readonly XNamespace Env = "http://schemas.xmlsoap.org/soap/envelope/";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Login(string username, string password, string account) =>
        $"<username>{SecurityElement.Escape(username)}</username><password>{SecurityElement.Escape(password)}</password><account>{SecurityElement.Escape(account)}</account>";

    /// <summary>Posts a call; <paramref name="cookie"/> is sent as <c>soap_session</c> when given.</summary>
    private async Task<(HttpStatusCode Status, XElement Body, HttpResponseMessage Response)> CallAsync(string method, string members, string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(SoapTests.Envelope(method, members, null), Encoding.UTF8, "text/xml") };
        if (cookie is not null) request.Headers.Add("Cookie", $"soap_session={cookie}");
        var response = await app.CreateClient().SendAsync(request, Ct);
        var body = XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).Root!.Element(Env + "Body")!.Elements().Single();
        return (response.StatusCode, body, response);
    }

    private static string FaultOf((HttpStatusCode Status, XElement Body, HttpResponseMessage Response) answer)
    {
        answer.Status.ShouldBe(HttpStatusCode.InternalServerError, answer.Body.ToString());
        return answer.Body.Element("faultstring")!.Value;
    }

    private async Task<string> LogInAsync(User user, string password, string account)
    {
        var answer = await CallAsync("login", Login(user.Email, password, account));
        answer.Status.ShouldBe(HttpStatusCode.OK, answer.Body.ToString());
        answer.Body.Element("result")!.Element("value")!.Value.ShouldBe("1");
        var setCookie = answer.Response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("soap_session=", StringComparison.Ordinal));
        setCookie.ShouldContain("httponly", Case.Insensitive);
        return setCookie.Split(';')[0]["soap_session=".Length..];
    }

    [Fact]
    public async Task A_user_logs_in_with_the_account_name_or_id_and_the_session_cookie_authenticates_later_calls()
    {
        var (user, password) = await DashboardBrowser.NewUserAsync(app, UserRole.Editor, account: "Login Co");

        var byName = await LogInAsync(user, password, "Login Co");
        var byId = await LogInAsync(user, password, user.AccountId.S());

        byName.ShouldNotBe(byId);
        var created = await CallAsync("Account_createDatabase", "<name>Made by a session</name>", byName);
        created.Status.ShouldBe(HttpStatusCode.OK, created.Body.ToString());
        var listed = await CallAsync("Account_databases", "", byId);
        listed.Body.Descendants("name").Select(n => n.Value).ShouldBe(["Made by a session"]);
        var stored = await app.ScalarAsync<long>("SELECT COUNT(*) FROM user_sessions WHERE user_id = @id", new { id = user.Id });
        stored.ShouldBe(2);
        (await app.ScalarAsync<long>("SELECT COUNT(*) FROM user_sessions WHERE token_hash = @byName", new { byName })).ShouldBe(0, "only a hash of the secret is stored");
    }

    [Fact]
    public void The_audit_log_names_a_sessions_user_not_a_token()
    {
        var context = new DefaultHttpContext();
        context.Items[typeof(Tidings.Rest.Caller)] = new Tidings.Rest.Caller(7, 0, true, UserId: 12, UserEmail: "ann@example.com");
        var actors = new Tidings.Audit.AuditActors(new HttpContextAccessor { HttpContext = context });

        actors.Current().ShouldBe(new Tidings.Audit.AuditActor(Tidings.Audit.AuditActorKinds.User, "ann@example.com (user 12)"));
    }

    [Fact]
    public async Task Calls_without_a_valid_session_get_not_logged_on()
    {
        FaultOf(await CallAsync("Account_databases", "")).ShouldBe("Not logged on");
        FaultOf(await CallAsync("Account_databases", "", "no-such-session")).ShouldBe("Not logged on");
        FaultOf(await CallAsync("Account_databases", "", new string('x', 5000))).ShouldBe("Not logged on");
    }

    [Fact]
    public async Task A_wrong_password_or_account_is_refused_without_saying_which_and_counts_towards_the_dashboards_lockout()
    {
        var (user, password) = await DashboardBrowser.NewUserAsync(app, UserRole.Editor, account: "Lockout Co");

        FaultOf(await CallAsync("login", Login(user.Email, password, "Some Other Account"))).ShouldBe(Tidings.Soap.SoapAuthentication.LoginFailed);
        FaultOf(await CallAsync("login", Login("nobody@example.com", password, "Lockout Co"))).ShouldBe(Tidings.Soap.SoapAuthentication.LoginFailed);
        FaultOf(await CallAsync("login", Login(user.Email, "", "Lockout Co"))).ShouldBe("Missing parameter 'password'");
        FaultOf(await CallAsync("login", "<username>a@b.c</username>")).ShouldBe("Missing parameter 'account'");
        for (var i = 0; i < 4; i++) FaultOf(await CallAsync("login", Login(user.Email, "wrong password", "Lockout Co"))).ShouldBe(Tidings.Soap.SoapAuthentication.LoginFailed);
        FaultOf(await CallAsync("login", Login(user.Email, "wrong password", "Lockout Co"))).ShouldStartWith("Too many failed logins", Case.Sensitive, "the fifth failure in a row");

        FaultOf(await CallAsync("login", Login(user.Email, password, "Lockout Co"))).ShouldStartWith("Too many failed logins");
        var dashboard = await app.Services.GetRequiredService<UserService>().SignInAsync(user.Email, password, Ct);
        dashboard.ShouldBeOfType<SignInOutcome.LockedOut>("the dashboard shares the lockout");
    }

    [Fact]
    public async Task A_read_only_user_reads_but_cannot_write()
    {
        var (user, password) = await DashboardBrowser.NewUserAsync(app, UserRole.ReadOnly, account: "Reader Co");
        var session = await LogInAsync(user, password, "Reader Co");

        (await CallAsync("Account_databases", "", session)).Status.ShouldBe(HttpStatusCode.OK);
        FaultOf(await CallAsync("Account_createDatabase", "<name>Not allowed</name>", session)).ShouldContain("Account_createDatabase changes data");
        (await app.ScalarAsync<long>("SELECT COUNT(*) FROM databases WHERE account_id = @a", new { a = user.AccountId })).ShouldBe(0);
    }

    [Fact]
    public async Task A_login_structure_in_the_call_itself_authenticates_that_call()
    {
        var (user, password) = await DashboardBrowser.NewUserAsync(app, UserRole.Editor, account: "Inline Co");

        var answer = await CallAsync("Account_databases", $"<login>{Login(user.Email, password, "Inline Co")}</login>");
        answer.Status.ShouldBe(HttpStatusCode.OK, answer.Body.ToString());
        FaultOf(await CallAsync("Account_databases", $"<login>{Login(user.Email, "wrong password", "Inline Co")}</login>")).ShouldBe(Tidings.Soap.SoapAuthentication.LoginFailed);
    }

    [Fact]
    public async Task A_password_reset_or_the_users_removal_ends_their_sessions()
    {
        var (admin, _) = await DashboardBrowser.NewUserAsync(app, UserRole.Admin, account: "Reset Co");
        var users = app.Services.GetRequiredService<UserService>();
        var (user, _) = await users.CreateAsync(admin.AccountId, $"user-{Guid.NewGuid():N}@example.com", UserRole.Editor, "correct horse battery", Ct);
        var (other, _) = await users.CreateAsync(admin.AccountId, $"user-{Guid.NewGuid():N}@example.com", UserRole.Editor, "correct horse battery", Ct);
        var session = await LogInAsync(user, "correct horse battery", "Reset Co");
        var otherSession = await LogInAsync(other, "correct horse battery", "Reset Co");

        await users.ResetPasswordAsync(admin.AccountId, user.Id, admin.Id, Ct);
        await users.RemoveAsync(admin.AccountId, other.Id, admin.Id, Ct);

        FaultOf(await CallAsync("Account_databases", "", session)).ShouldBe("Not logged on");
        FaultOf(await CallAsync("Account_databases", "", otherSession)).ShouldBe("Not logged on");
    }

    [Fact]
    public async Task A_session_ends_after_its_idle_timeout_and_at_its_maximum_age_however_busy()
    {
        var (user, _) = await DashboardBrowser.NewUserAsync(app, UserRole.Editor, account: "Clock Co");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var sessions = new UserSessions(app.Services.GetRequiredService<UserSessionStore>(), app.Services.GetRequiredService<UserStore>(), clock);
        var limits = new SessionLimits(TimeSpan.FromMinutes(30), TimeSpan.FromHours(2));

        var idle = await sessions.StartAsync(user, limits, Ct);
        clock.Advance(TimeSpan.FromMinutes(29));
        (await sessions.ResumeAsync(idle, limits, Ct)).ShouldNotBeNull();
        clock.Advance(TimeSpan.FromMinutes(29));
        (await sessions.ResumeAsync(idle, limits, Ct)).ShouldNotBeNull("29 minutes after its last use");
        clock.Advance(TimeSpan.FromMinutes(31));
        (await sessions.ResumeAsync(idle, limits, Ct)).ShouldBeNull("31 minutes unused");

        var busy = await sessions.StartAsync(user, limits, Ct);
        var fresh = new UserSessions(app.Services.GetRequiredService<UserSessionStore>(), app.Services.GetRequiredService<UserStore>(), clock);
        for (var minutes = 0; minutes < 120; minutes += 20)
        {
            (await fresh.ResumeAsync(busy, limits, Ct)).ShouldNotBeNull("kept in the database, not in the instance that started it");
            clock.Advance(TimeSpan.FromMinutes(20));
        }

        (await fresh.ResumeAsync(busy, limits, Ct)).ShouldBeNull("past its maximum age");
    }
}
