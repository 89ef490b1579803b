using System.Text.Json.Nodes;

namespace Tidings.Tests.Infrastructure;

/// <summary>One destination of a prepared mailing, as the MTA would see it.</summary>
public sealed record TestDestination(long Id, string MessageId, string Token, long ProfileId, string Email, string OpenUrl, IReadOnlyList<string> ClickUrls);

/// <summary>A database with profiles and a mailing sent to it, ready for tracking and delivery events.</summary>
public sealed record MailingScenario(ApiClient Client, long DatabaseId, long MailingId, IReadOnlyList<TestDestination> Destinations)
{
    public static readonly string[] Links = ["https://shop.example/sale?utm=tidings", "https://shop.example/account"];

    /// <summary>
    /// Creates a database (fields email, firstname, city; interest "news"), <paramref name="profiles"/> profiles, and a
    /// mailing to the database with tags "promo" and "november" and two links; waits until it is prepared.
    /// </summary>
    public static async Task<MailingScenario> CreateAsync(ApiClient client, int profiles = 3)
    {
        var database = await client.CreateDatabaseAsync("Shop" + Guid.NewGuid().ToString("N")[..8], ("email", "email"), ("firstname", "text"), ("city", "text"));
        await client.CreateAsync($"/v3/database/{database}/interests", new { name = "news", group = "letters" });
        for (var i = 0; i < profiles; i++)
        {
            await client.CreateAsync($"/v3/database/{database}/profiles", new { fields = new { email = $"person{i}@example.com", firstname = $"Person{i}", city = "Utrecht" }, interests = new[] { "news" } });
        }

        var mailing = await client.CreateAsync("/v3/ms/emailing", new
        {
            target = database, targettype = "database", template = 12, subject = "November sale", senderdomain = "mail.shop.example",
            from_address = new { name = "Shop", email = "news@shop.example" }, tags = new[] { "promo", "november" }, links = Links,
        });
        await WaitUntilPreparedAsync(client, mailing);
        var page = await client.GetJsonAsync($"/v3/ms/emailing/{mailing}/destinations?limit=1000");
        var destinations = page!["data"]!.AsArray().Select(d => new TestDestination(
            long.Parse(d!["ID"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
            d["messageID"]!.GetValue<string>(),
            d["tracking"]!["open"]!.GetValue<string>().Split('/')[^1].Replace(".gif", "", StringComparison.Ordinal),
            long.Parse(d["profile"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
            d["email"]!.GetValue<string>(),
            new Uri(d["tracking"]!["open"]!.GetValue<string>()).PathAndQuery,
            d["tracking"]!["links"]!.AsArray().Select(l => new Uri(l!["tracked"]!.GetValue<string>()).PathAndQuery).ToList())).ToList();
        return new MailingScenario(client, database, mailing, destinations);
    }

    public static async Task WaitUntilPreparedAsync(ApiClient client, long mailing)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var json = await client.GetJsonAsync($"/v3/ms/emailing/{mailing}");
            if (json!["status"]!.GetValue<string>() == "sent") return;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"Mailing {mailing} was not prepared in time");
    }
}
