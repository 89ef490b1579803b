using System.Net;
using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;
using Tidings.Tests.Webhooks.Signing;

namespace Tidings.Tests.Webhooks.Dispatch;

/// <summary>
/// One real event of each webhook type, produced the way production produces it (tracking endpoints, MTA results,
/// the REST API), arrives at a receiver as a signed POST that both independent npm libraries verify (http-signature for
/// Copernica's scheme, standardwebhooks for v1), and carries Copernica's documented fields.
/// </summary>
public sealed class EventTypeDeliveryTests(DeliveryApp app) : IClassFixture<DeliveryApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("open")]
    [InlineData("click")]
    [InlineData("delivery")]
    [InlineData("failure")]
    [InlineData("bounce")]
    [InlineData("unsubscribe")]
    [InlineData("create")]
    [InlineData("update")]
    [InlineData("delete")]
    public async Task An_event_arrives_signed_in_both_schemes_with_its_documented_fields(string type)
    {
        await using var receiver = await Receiver.StartAsync();
        var client = await app.NewAccountAsync();
        await app.ValidateTestDomainAsync(client.AccountId);
        var scenario = await MailingScenario.CreateAsync(client, profiles: 2);
        var webhook = await DeliveryApp.CreateWebhookAsync(client, receiver.Url, new { trigger = type, signing = "both", database = scenario.DatabaseId });
        var secret = (await client.GetJsonAsync($"/v3/webhook/{webhook}/secrets"))["secrets"]![0]!["secret"]!.GetValue<string>();
        await WaitUntilRunningAsync(client, webhook);

        var d = scenario.Destinations[0];
        await ProduceAsync(type, client, scenario, d);

        var call = (await receiver.WaitAsync(calls => calls.Count >= 1))[0];
        call.Method.ShouldBe("POST");
        call.Header("Content-Type").ShouldBe("application/x-www-form-urlencoded");
        var fields = call.Form;
        fields["type"].ShouldBe(type);
        fields.ShouldContainKey("timestamp");
        fields.ShouldContainKey("time");
        switch (type)
        {
            case "create" or "update" or "delete":
                fields["profile"].ShouldNotBeNullOrEmpty();
                fields["database"].ShouldBe(scenario.DatabaseId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (type != "delete") fields["parameters[email]"].ShouldBe("new@example.com");
                break;
            default:
                fields["id"].ShouldBe(d.MessageId);
                fields["recipient"].ShouldBe(d.Email);
                call.FormValues("tags[]").ShouldBe(["promo", "november"]);
                fields["profile"].ShouldBe(d.ProfileId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                fields["fields[firstname]"].ShouldStartWith("Person");
                break;
        }

        if (type is "open" or "click")
        {
            // The in-process test client has no remote address, so there is no ip to send.
            fields["useragent"].ShouldBe("EventTypeDeliveryTests");
        }

        if (type == "click") fields["original"].ShouldBe(MailingScenario.Links[0]);

        // Standard Webhooks v1, checked by the standardwebhooks package with the webhook's own secret.
        await NodeVerifier.ShouldVerifyAsync("verify-standard.js", new { headers = call.Headers, bodyBase64 = Convert.ToBase64String(call.Body), secret });

        // Copernica's scheme, checked by the http-signature package with the key the server publishes.
        var keys = (await client.GetJsonAsync("/.well-known/tidings/webhook-keys"))["keys"]!.AsArray();
        var signing = keys.First(k => k!["signing"]!.GetValue<bool>())!;
        await NodeVerifier.ShouldVerifyAsync("verify-copernica.js", new
        {
            method = "POST",
            path = call.PathAndQuery,
            headers = call.Headers,
            bodyBase64 = Convert.ToBase64String(call.Body),
            publicKeyPem = signing["publicKeyPem"]!.GetValue<string>(),
            expectedKeyId = signing["keyId"]!.GetValue<string>(),
            expectedCopernicaId = call.Header("X-Copernica-ID"),
        });
        call.Header("webhook-id").ShouldNotBeNullOrEmpty();
        call.Header("X-Copernica-ID")!.ShouldContain(client.AccountId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The attempt is recorded.
        var attempts = await WaitForAsync(async () => (await client.GetJsonAsync($"/v3/webhook/{webhook}/attempts"))["data"]!.AsArray(), a => a.Count >= 1);
        attempts[0]!["status"]!.GetValue<int>().ShouldBe(200);
        attempts[0]!["event"]!.GetValue<string>().ShouldBe(call.Header("webhook-id"));
    }

    private async Task ProduceAsync(string type, ApiClient client, MailingScenario scenario, TestDestination d)
    {
        using var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        browser.DefaultRequestHeaders.UserAgent.ParseAdd("EventTypeDeliveryTests");
        switch (type)
        {
            case "open":
                (await browser.GetAsync(d.OpenUrl, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
                break;
            case "click":
                ((int)(await browser.GetAsync(d.ClickUrls[0], Ct)).StatusCode).ShouldBeInRange(300, 399);
                break;
            case "unsubscribe":
                (await browser.PostAsync($"/t/u/{d.Token}", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
                break;
            case "delivery" or "failure" or "bounce":
                var line = type switch
                {
                    "delivery" => $$"""{"message":"{{d.MessageId}}","type":"delivery","code":250,"status":"2.0.0","description":"Ok","attempts":0}""",
                    "failure" => $$"""{"message":"{{d.MessageId}}","type":"failure","code":550,"status":"5.1.1","description":"User unknown","errortype":"hard","state":"rcptto"}""",
                    _ => $$"""{"message":"{{d.MessageId}}","type":"bounce","code":552,"status":"5.2.2","description":"Mailbox full","recipient":"{{d.Email}}"}""",
                };
                var response = await client.SendAsync(HttpMethod.Post, "/v3/mta/results", "[" + line + "]");
                response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
                break;
            case "create":
                await client.CreateProfileAsync(scenario.DatabaseId, new { email = "new@example.com", firstname = "New" });
                break;
            case "update":
                (await client.PutJsonAsync($"/v3/profile/{d.ProfileId}", new { fields = new { email = "new@example.com" } })).IsSuccessStatusCode.ShouldBeTrue();
                break;
            case "delete":
                (await client.DeleteAsync($"/v3/profile/{d.ProfileId}")).IsSuccessStatusCode.ShouldBeTrue();
                break;
        }
    }

    internal static async Task WaitUntilRunningAsync(ApiClient client, long webhook)
    {
        await WaitForAsync(async () => await client.GetJsonAsync($"/v3/webhook/{webhook}/status"), s => s["running"]!.GetValue<bool>());
    }

    internal static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, int seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > until) throw new TimeoutException($"Condition not met in {seconds} s; last value: {value}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
