using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Dispatch;
using Tidings.Users;
using static Microsoft.Playwright.Assertions;

namespace Tidings.Tests.Dashboard.Browser;

/// <summary>The database, profile and collection pages in chromium: linked webhooks, a profile found by e-mail, another account's database.</summary>
[Collection(DashboardBrowserCollection.Name)]
public sealed class DataBrowserTests(SharedChromium chromium, DashboardApp app)
{
    private static readonly (string First, string Last, string City)[] People =
    [
        ("Anna", "de Vries", "Utrecht"), ("Bram", "Jansen", "Amsterdam"), ("Chantal", "Bakker", "Rotterdam"), ("Daan", "Visser", "Utrecht"),
        ("Emma", "Smit", "Groningen"), ("Finn", "Meijer", "Eindhoven"), ("Hanna", "de Boer", "Delft"), ("Iris", "Mulder", "Utrecht"),
    ];

    private async Task<ApiClient> ApiAsync() => await app.NewTokenAsync(new ApiClient(app.CreateClient(), "", app.AccountId), canWrite: true);

    /// <summary>A database of customers (name unique per test) with fields, interests, a collection of orders and a few profiles with orders.</summary>
    private static async Task<(long Database, long Orders, Dictionary<string, long> Profiles)> CustomersAsync(ApiClient api, string name)
    {
        var database = await api.CreateAsync("/v3/databases", new { name, description = "Everyone who ordered from the shop" });
        await api.CreateAsync($"/v3/database/{database}/fields", new { name = "email", type = "email", displayed = true, index = true });
        await api.CreateAsync($"/v3/database/{database}/fields", new { name = "firstname", type = "text", displayed = true });
        await api.CreateAsync($"/v3/database/{database}/fields", new { name = "lastname", type = "text", displayed = true });
        await api.CreateAsync($"/v3/database/{database}/fields", new { name = "city", type = "text", displayed = true, index = true });
        await api.CreateAsync($"/v3/database/{database}/fields", new { name = "country", type = "text", value = "NL" });
        await api.CreateAsync($"/v3/database/{database}/interests", new { name = "newsletter", group = "letters" });
        await api.CreateAsync($"/v3/database/{database}/interests", new { name = "offers", group = "letters" });
        var orders = await api.CreateAsync($"/v3/database/{database}/collections", new { name = "Orders", description = "One subprofile per order" });
        await api.CreateAsync($"/v3/collection/{orders}/fields", new { name = "product", type = "text", displayed = true });
        await api.CreateAsync($"/v3/collection/{orders}/fields", new { name = "amount", type = "float", displayed = true });
        await api.CreateAsync($"/v3/collection/{orders}/fields", new { name = "ordered", type = "date", displayed = true });
        var profiles = new Dictionary<string, long>();
        var products = new[] { ("Linen shirt", "49.95"), ("Rain jacket", "129"), ("Wool socks", "12.5"), ("Canvas bag", "24.95") };
        for (var i = 0; i < People.Length; i++)
        {
            var (first, last, city) = People[i];
            var email = $"{first.ToLowerInvariant()}.{last.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()}@example.com";
            var id = await api.CreateProfileAsync(database, new { email, firstname = first, lastname = last, city }, i % 2 == 1 ? new[] { "newsletter" } : new[] { "newsletter", "offers" });
            profiles[email] = id;
            for (var o = 0; o <= i % 3; o++)
            {
                var (product, amount) = products[(i + o) % products.Length];
                await api.CreateAsync($"/v3/profile/{id}/subprofiles/{orders}", new { product, amount, ordered = $"2026-1{o}-0{i % 9 + 1}" });
            }
        }

        return (database, orders, profiles);
    }

    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_database_page_lists_the_webhook_linked_to_it_and_opens_it()
    {
        var api = await ApiAsync();
        var name = "Customers"; // one DashboardApp per run of the collection, and each test makes its own database
        var (database, orders, _) = await CustomersAsync(api, name);
        var handler = $"https://hooks-{Guid.NewGuid().ToString("N")[..8]}.example.com/customers";
        var webhook = await DeliveryApp.CreateWebhookAsync(api, new Uri(handler), new { triggers = new[] { "create", "update" }, database });
        var ofOrders = await DeliveryApp.CreateWebhookAsync(api, new Uri("https://crm.example.com/orders"), new { trigger = "create", collection = orders });
        await using var context = await chromium.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.SignInAsync(await app.NewUserAsync(UserRole.ReadOnly));

        await page.OpenDatabaseAsync(name);
        await Expect(page).ToHaveURLAsync(new Regex($"/dashboard/databases/{database}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1 })).ToBeVisibleAsync();
        await page.CheckPageAsync("database");
        await page.GotoAsync("/dashboard/databases");
        await page.CheckPageAsync("databases");
        await page.GotoAsync($"/dashboard/databases/{database}");

        var link = page.GetByRole(AriaRole.Link, new() { Name = $"Webhook {webhook}: {handler}" });
        await Expect(link).ToBeVisibleAsync();
        await link.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/dashboard/webhooks/{webhook}$"));
        (await page.ContentAsync()).ShouldContain(handler);
        await page.ShouldBeAccessibleAsync(); // the webhook page has its own screenshot (webhook-detail)

        await page.GotoAsync($"/dashboard/collections/{orders}");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Webhook {ofOrders}: https://crm.example.com/orders" })).ToBeVisibleAsync();
        await page.CheckPageAsync("collection");
    }

    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_profile_search_finds_a_profile_by_email_and_opens_it_with_its_subprofiles()
    {
        var api = await ApiAsync();
        var name = "Web shop customers";
        var (database, orders, profiles) = await CustomersAsync(api, name);
        var iris = profiles["iris.mulder@example.com"];
        await using var context = await chromium.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.SignInAsync(await app.NewUserAsync(UserRole.ReadOnly));

        await page.OpenDatabaseAsync(name);
        await page.GetByRole(AriaRole.Link, new() { Name = "All profiles" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "8 profiles" })).ToBeVisibleAsync();
        await page.SearchAsync("city==utrecht");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "3 profiles found" })).ToBeVisibleAsync();
        await page.CheckPageAsync("profiles-search");

        await page.SearchAsync("email==iris.mulder@example.com");
        await Expect(page).ToHaveURLAsync(new Regex($"/dashboard/databases/{database}/profiles\\?fields%5B%5D=email%3D%3Diris.mulder%40example.com"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "1 profile found" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = $"Profile {iris}" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/dashboard/profiles/{iris}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Orders: 2 subprofiles" })).ToBeVisibleAsync();
        var orderRows = page.Locator($"#collection-{orders} tbody tr");
        await Expect(orderRows).ToHaveCountAsync(2);
        await Expect(orderRows.First).ToContainTextAsync("Canvas bag");
        await page.CheckPageAsync("profile");

        await page.GotoAsync($"/dashboard/databases/{database}/profiles?fields[]=email");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Invalid condition 'email'");
        await page.ShouldBeAccessibleAsync();
    }

    [Fact(Skip = DashboardBrowserCollection.SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Another_accounts_database_is_not_found()
    {
        var stranger = await app.NewAccountAsync("Stranger");
        var theirs = await stranger.CreateAsync("/v3/databases", new { name = "Their customers" });
        await using var context = await chromium.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.SignInAsync(await app.NewUserAsync(UserRole.Admin));

        var response = await page.GotoAsync($"/dashboard/databases/{theirs}");

        response!.Status.ShouldBe(404);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found", Level = 1 })).ToBeVisibleAsync();
        (await page.ContentAsync()).ShouldNotContain("Their customers");
        await page.ShouldBeAccessibleAsync();
    }
}
