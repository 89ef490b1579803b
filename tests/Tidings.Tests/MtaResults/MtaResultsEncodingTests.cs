using System.Text;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.MtaResults;

/// <summary>
/// Results whose text is not valid Unicode (invalid UTF-8 bytes, a lone UTF-16 surrogate escape) or that give a key
/// twice are malformed results like any other: listed by line, while the good results of the batch are stored once.
/// </summary>
public sealed class MtaResultsEncodingTests(MtaResultsApp app) : IClassFixture<MtaResultsApp>
{
    private static byte[] Line(string text) => Encoding.UTF8.GetBytes(text);

    private static Task<HttpResponseMessage> PostBytesAsync(ApiClient client, byte[] body, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, client.Url("/v3/mta/results")) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return client.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("application/x-ndjson")]
    [InlineData("application/json")]
    public async Task Invalid_utf8_and_lone_surrogates_mark_only_their_own_results_and_the_good_ones_are_stored_once(string contentType)
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 2);
        var (m0, m1) = (s.Destinations[0].MessageId, s.Destinations[1].MessageId);
        byte[][] results =
        [
            Line($$"""{"message":"{{m0}}","type":"delivery","code":250}"""),
            [.. Line("{\"message\":\"" + m1 + "\",\"type\":\"failure\",\"description\":\"bad "), 0xC3, 0x28, 0xFF, .. Line("\"}")],
            Line($$"""{"message":"{{m1}}","type":"retry","description":"\ud800"}"""),
            [.. Line("{\""), 0xFF, .. Line("\":1,\"message\":\"" + m1 + "\",\"type\":\"retry\"}")],
            Line($$$"""{"message":"{{{m1}}}","type":"bounce","envelope":{"a":"x","a":"y"}}"""),
            Line($$"""{"message":"{{m1}}","type":"delivery","code":250}"""),
        ];
        var lines = contentType == "application/x-ndjson";
        var body = lines
            ? results.SelectMany(r => r.Append((byte)'\n')).ToArray()
            : [(byte)'[', .. results.SelectMany((r, i) => i == 0 ? r : [(byte)',', .. r]), (byte)']'];

        var error = await (await PostBytesAsync(client, body, contentType)).BadJsonAsync();
        error["message"]!.GetValue<string>().ShouldStartWith("4 of 6 results are malformed");
        var errors = error["errors"]!.AsArray();
        errors.Select(e => e!["line"]!.GetValue<int>()).ShouldBe([2, 3, 4, 5]);
        errors[0]!["message"]!.GetValue<string>().ShouldContain("UTF-8");
        errors[1]!["message"]!.GetValue<string>().ShouldContain("surrogate");
        errors[3]!["message"]!.GetValue<string>().ShouldContain("'envelope.a'");
        error["recorded"]!.GetValue<int>().ShouldBe(2);

        // sent again, the good results are recognised and not stored a second time
        var retried = await (await PostBytesAsync(client, body, contentType)).BadJsonAsync();
        retried["recorded"]!.GetValue<int>().ShouldBe(0);
        retried["duplicates"]!.GetValue<int>().ShouldBe(2);
        (await app.DeliveryEventsAsync(client.AccountId)).Select(e => e.Type).ShouldBe(["delivery", "delivery"]);
    }
}
