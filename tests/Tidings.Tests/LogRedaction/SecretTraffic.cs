using System.Net;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using Tidings.Tests.Dashboard;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Soap;

namespace Tidings.Tests.LogRedaction;

/// <summary>
/// Requests that carry every other kind of secret the server handles, for checking that no log line shows one: dashboard
/// passwords (sign-in, a wrong one, a user added with a one-time password, its change, a reset), the SOAP API's
/// <c>login</c> with a password (right and wrong), and webhook secrets (generated, imported, rotated, HMAC <c>whsec_</c>
/// and ed25519 <c>whsk_</c>). Everything over HTTP, so it runs against an in-process server and a real process alike.
/// </summary>
internal static class SecretTraffic
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Runs the flow as the account's admin; returns every secret that went over the wire.</summary>
    /// <param name="open">A new browser (cookies of its own) on the server.</param>
    public static async Task<IReadOnlyList<string>> RunAsync(ApiClient client, Func<DashboardBrowser> open, string adminEmail, string adminPassword, string accountName)
    {
        var secrets = new List<string> { adminPassword };

        // Dashboard: a wrong password, the right one, a user added (one-time password), its change, a reset.
        var wrongPassword = "wrong " + Unique();
        secrets.Add(wrongPassword);
        var admin = open();
        (await admin.SignInAsync(adminEmail, wrongPassword)).StatusCode.ShouldNotBe(HttpStatusCode.Redirect);
        (await admin.SignInAsync(adminEmail, adminPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var email = $"member-{Guid.NewGuid():N}@example.com";
        var added = await admin.SubmitAsync("/dashboard/users", "Add user", new Dictionary<string, string> { ["email"] = email, ["role"] = "editor" });
        var oneTime = (await DashboardBrowser.ParseAsync(added)).QuerySelector(".secret code")!.TextContent.Trim();
        secrets.Add(oneTime);
        var member = open();
        (await member.SignInAsync(email, oneTime)).Headers.Location!.OriginalString.ShouldBe("/dashboard/password");
        var chosen = "chosen " + Unique();
        secrets.Add(chosen);
        (await member.SubmitAsync("/dashboard/password", "Change password", new Dictionary<string, string> { ["current"] = oneTime, ["new"] = chosen, ["repeat"] = chosen }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var reset = await admin.SubmitAsync("/dashboard/users", $"Reset password of {email}", new Dictionary<string, string>());
        var resetPassword = (await DashboardBrowser.ParseAsync(reset)).QuerySelector("#reset-password")!.TextContent.Trim();
        resetPassword.Length.ShouldBeGreaterThanOrEqualTo(12);
        secrets.Add(resetPassword);
        (await open().SignInAsync(email, resetPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // SOAP login, with the admin's password and a wrong one.
        (await SoapLoginAsync(client.Http, adminEmail, adminPassword, accountName)).ShouldBe(HttpStatusCode.OK);
        (await SoapLoginAsync(client.Http, adminEmail, wrongPassword, accountName)).ShouldNotBe(HttpStatusCode.OK);

        // Webhook secrets: generated with the webhook, imported (HMAC and ed25519), rotated to new ones.
        var webhook = await client.CreateAsync("/v3/webhooks", new { handler = "https://hooks.example.com/in", trigger = "open", signing = "standard" });
        secrets.Add((await client.GetJsonAsync($"/v3/webhook/{webhook}/secrets"))["secrets"]![0].Str("secret"));
        var imported = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        secrets.Add(imported);
        (await client.PutJsonAsync($"/v3/webhook/{webhook}/secrets", new { secret = imported })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var importedKey = "whsk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        secrets.Add(importedKey);
        (await client.PutJsonAsync($"/v3/webhook/{webhook}/secrets", new { secret = importedKey })).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var kind in new[] { "hmac", "ed25519" })
        {
            var rotated = await client.PostJsonAsync($"/v3/webhook/{webhook}/secrets/rotate", new { kind });
            rotated.StatusCode.ShouldBe(HttpStatusCode.OK, await rotated.Content.ReadAsStringAsync(Ct));
            secrets.Add(System.Text.Json.Nodes.JsonNode.Parse(await rotated.Content.ReadAsStringAsync(Ct)).Str("secret"));
        }

        foreach (var secret in (await client.GetJsonAsync($"/v3/webhook/{webhook}/secrets"))["secrets"]!.AsArray()) secrets.Add(secret.Str("secret"));

        // A secret without its prefix is still the secret.
        secrets.AddRange(secrets.Where(s => s.StartsWith("whs", StringComparison.Ordinal)).Select(s => s[(s.IndexOf('_', StringComparison.Ordinal) + 1)..]).ToList());
        return secrets.Distinct().ToList();
    }

    private static string Unique() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private static async Task<HttpStatusCode> SoapLoginAsync(HttpClient http, string email, string password, string account)
    {
        var members = $"<username>{SecurityElement.Escape(email)}</username><password>{SecurityElement.Escape(password)}</password><account>{SecurityElement.Escape(account)}</account>";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(SoapTests.Envelope("login", members, null), Encoding.UTF8, "text/xml") };
        using var response = await http.SendAsync(request, Ct);
        return response.StatusCode;
    }
}
