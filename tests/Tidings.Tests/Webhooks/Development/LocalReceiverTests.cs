using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Tidings.Tests.Infrastructure;
using Tidings.Webhooks.Development;

namespace Tidings.Tests.Webhooks.Development;

/// <summary>
/// The <c>receive</c> command's receiver, in-process on the test server's storage: which verification files it serves,
/// and how it reports signatures that hold and signatures that do not.
/// </summary>
public sealed class LocalReceiverTests(LoopbackApp app) : IClassFixture<LoopbackApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task It_serves_the_verification_files_of_webhooks_made_after_it_started_that_point_at_it_and_no_others()
    {
        var output = new WatchedOutput();
        await using var receiver = await LocalReceiver.StartAsync(app.Services, 0, output.Writer, Ct);
        using var http = new HttpClient { BaseAddress = receiver.Url };
        var port = receiver.Url.Port;

        var mine = await app.NewAccountAsync();
        await mine.CreateAsync("/v3/webhooks", new { handler = $"http://localhost:{port}/in/hook.php", trigger = "open" });
        var file = (await ClaimAsync(mine, "localhost"))["file"]!;
        var name = file["name"]!.GetValue<string>();

        // The folder of the handler and the site root, as the server looks for it; nowhere else.
        (await http.GetStringAsync($"in/{name}", Ct)).ShouldBe(file["content"]!.GetValue<string>());
        (await http.GetStringAsync(name, Ct)).ShouldBe(file["content"]!.GetValue<string>());
        (await http.GetAsync($"elsewhere/{name}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Another account's claim of localhost whose webhook listens on another port is not this receiver's business.
        var other = await app.NewAccountAsync();
        await other.CreateAsync("/v3/webhooks", new { handler = $"http://localhost:{port + 1}/hook", trigger = "open" });
        var otherName = (await ClaimAsync(other, "localhost"))["file"]!["name"]!.GetValue<string>();
        (await http.GetAsync(otherName, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        await output.WaitForAsync($"GET /{otherName} → 404 (not a verification file of a webhook pointing here)");
        output.Text.ShouldContain($"GET /in/{name} → 200, the verification file of localhost (account {mine.AccountId})");
    }

    [Fact]
    public async Task A_call_whose_body_was_changed_is_shown_with_both_signatures_INVALID()
    {
        var output = new WatchedOutput();
        await using var receiver = await LocalReceiver.StartAsync(app.Services, 0, output.Writer, Ct);
        var (client, webhook) = await ValidatedWebhookAsync(receiver, "both");

        // A test call, then the same request (its signed headers) again, once as sent and once with another body.
        var test = JsonNode.Parse(await (await client.PostJsonAsync($"/v3/webhook/{webhook}/test", new { data = "a=1" })).Content.ReadAsStringAsync(Ct))!;
        test["success"]!.GetValue<bool>().ShouldBeTrue(test.ToJsonString());
        var sent = test["request"]!;
        await ResendAsync(sent, "a=1");
        await ResendAsync(sent, "a=2");

        var text = await output.WaitForAsync(t => CountOf(t, "POST /hook") == 3, "three calls");
        var calls = text.Split("POST /hook")[1..];
        calls[0].ShouldContain("copernica: signature ok");
        calls[1].ShouldContain("copernica: signature ok");
        calls[1].ShouldContain($"standard webhooks: signature ok (v1, webhook {webhook})");
        calls[2].ShouldContain("copernica: signature INVALID: the Digest does not match the body");
        calls[2].ShouldContain($"standard webhooks: signature INVALID: no signature matches a secret of webhook {webhook}");
        calls[2].ShouldContain("body (3 bytes): a=2");

        async Task ResendAsync(JsonNode request, string body)
        {
            using var http = new HttpClient();
            using var message = new HttpRequestMessage(HttpMethod.Post, request["url"]!.GetValue<string>());
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            foreach (var (name, value) in request["headers"]!.AsObject())
            {
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
                if (!message.Headers.TryAddWithoutValidation(name, value!.GetValue<string>())) message.Content.Headers.TryAddWithoutValidation(name, value.GetValue<string>());
            }

            (await http.SendAsync(message, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task An_ed25519_signature_is_checked_with_the_webhooks_key_and_an_unsigned_webhook_says_so()
    {
        var output = new WatchedOutput();
        await using var receiver = await LocalReceiver.StartAsync(app.Services, 0, output.Writer, Ct);
        var (client, webhook) = await ValidatedWebhookAsync(receiver, "standard");
        (await client.PostJsonAsync($"/v3/webhook/{webhook}/secrets/rotate", new { kind = "ed25519" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.PostJsonAsync($"/v3/webhook/{webhook}/test", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await output.WaitForAsync($"standard webhooks: signature ok (v1 and v1a, webhook {webhook})");
        text.ShouldNotContain("copernica:");

        (await client.PutJsonAsync($"/v3/webhook/{webhook}", new { signing = "none" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await client.PostJsonAsync($"/v3/webhook/{webhook}/test", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await output.WaitForAsync("    not signed");
    }

    [Fact]
    public async Task A_post_to_a_path_no_webhook_has_is_answered_200_and_said_so()
    {
        var output = new WatchedOutput();
        await using var receiver = await LocalReceiver.StartAsync(app.Services, 0, output.Writer, Ct);
        using var http = new HttpClient { BaseAddress = receiver.Url };
        (await http.PostAsync("nobody?x=1", new StringContent("hello"), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.PutAsync("nobody", new StringContent("hello"), Ct)).StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        var text = await output.WaitForAsync("PUT /nobody → 405");
        text.ShouldContain("POST /nobody?x=1 → 200, no webhook of this server has this handler");
        text.ShouldContain("body (5 bytes): hello");
    }

    private async Task<(ApiClient Client, long Webhook)> ValidatedWebhookAsync(LocalReceiver receiver, string signing)
    {
        var client = await app.NewAccountAsync();
        var webhook = await client.CreateAsync("/v3/webhooks", new { handler = $"http://localhost:{receiver.Url.Port}/hook", trigger = "open", signing });
        var response = await client.PostJsonAsync("/v3/domains", new { domain = "localhost", validate = "file" });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (client, webhook);
    }

    private static async Task<JsonNode> ClaimAsync(ApiClient client, string domain) =>
        await client.GetJsonAsync($"/v3/domain/{await client.CreateAsync("/v3/domains", new { domain })}");

    private static int CountOf(string text, string fragment) => text.Split(fragment).Length - 1;
}
