using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Tests.Infrastructure;
using Tidings.Users;

namespace Tidings.Tests.Dashboard;

/// <summary>
/// A browser-like client of the dashboard: keeps cookies, does not follow redirects (tests look at them), and posts
/// forms as a browser would, with the antiforgery token the page carries.
/// </summary>
internal sealed class DashboardBrowser(HttpClient http, CookieContainer? cookies = null)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public HttpClient Http { get; } = http;

    public static DashboardBrowser Open(TidingsApp app, bool https = false)
    {
        var baseAddress = new Uri(https ? "https://localhost" : "http://localhost");
        var cookies = new CookieContainer();
        var http = app.CreateDefaultClient(baseAddress, new CookieHandler(cookies));
        return new DashboardBrowser(http, cookies);
    }

    /// <summary>The Cookie header this browser would send to <paramref name="path"/>.</summary>
    public string CookieHeader(string path) => cookies!.GetCookieHeader(new Uri(Http.BaseAddress!, path));

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(path, Ct);

    /// <summary>GETs a page that must answer 200 and parses it.</summary>
    public async Task<IHtmlDocument> PageAsync(string path)
    {
        var response = await GetAsync(path);
        var body = await response.Content.ReadAsStringAsync(Ct);
        ((int)response.StatusCode).ShouldBe(200, $"GET {path}: {body}");
        return Parse(body);
    }

    public static IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) => Parse(await response.Content.ReadAsStringAsync(Ct));

    /// <summary>Fills the page's form that holds <paramref name="button"/> and posts it with the page's antiforgery token.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string path, string button, IReadOnlyDictionary<string, string> fields)
    {
        var page = await PageAsync(path);
        var form = page.QuerySelectorAll("form button").OfType<IHtmlButtonElement>().SingleOrDefault(b => b.TextContent.Trim() == button)?.Form
            ?? throw new InvalidOperationException($"No button '{button}' on {path}");
        var values = form.Elements.OfType<IHtmlInputElement>().Where(i => i.Type == "hidden" && i.Name is not null)
            .ToDictionary(i => i.Name!, i => i.Value);
        foreach (var (name, value) in fields) values[name] = value;
        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? path : form.GetAttribute("action")!;
        return await PostAsync(action, values);
    }

    public Task<HttpResponseMessage> PostAsync(string path, IReadOnlyDictionary<string, string> values) =>
        Http.PostAsync(path, new FormUrlEncodedContent(values), Ct);

    public Task<HttpResponseMessage> SignInAsync(string email, string password, string path = "/dashboard/signin") =>
        SubmitAsync(path, "Sign in", new Dictionary<string, string> { ["email"] = email, ["password"] = password });

    /// <summary>A new account with a user of the given role and a known password (no change required), signed in.</summary>
    public static async Task<(DashboardBrowser Browser, User User, string Password)> SignedInAsync(TidingsApp app, UserRole role, string account = "Test")
    {
        var (user, password) = await NewUserAsync(app, role, account);
        var browser = Open(app);
        var response = await browser.SignInAsync(user.Email, password);
        ((int)response.StatusCode).ShouldBe(302, await response.Content.ReadAsStringAsync(Ct));
        return (browser, user, password);
    }

    public static async Task<(User User, string Password)> NewUserAsync(TidingsApp app, UserRole role, string account = "Test", long? accountId = null)
    {
        var id = accountId ?? (await app.NewAccountAsync(account)).AccountId;
        const string password = "correct horse battery";
        var (user, _) = await app.Services.GetRequiredService<UserService>().CreateAsync(id, $"user-{Guid.NewGuid():N}@example.com", role, password, Ct);
        return (user, password);
    }
}

/// <summary>Keeps cookies as a browser does (the factory's own handler does too, but does not let tests read them).</summary>
internal sealed class CookieHandler(CookieContainer cookies) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var header = cookies.GetCookieHeader(request.RequestUri!);
        if (header.Length > 0) request.Headers.Add("Cookie", header);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            foreach (var value in values) cookies.SetCookies(request.RequestUri!, value);
        }

        return response;
    }
}
