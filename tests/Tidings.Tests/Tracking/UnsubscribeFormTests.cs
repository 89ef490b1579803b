using System.Net;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Tracking;

/// <summary>An unsubscribe POST whose form cannot be read is the page's plain button, not a server error.</summary>
public sealed class UnsubscribeFormTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    [Theory]
    [InlineData("multipart/form-data")]
    [InlineData("multipart/form-data; boundary=zz")]
    public async Task An_unreadable_form_body_still_unsubscribes_as_a_link_click(string contentType)
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 1);
        var d = s.Destinations[0];
        using var body = new ByteArrayContent(Encoding.ASCII.GetBytes("--zz\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click"));
        body.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        (await browser.PostAsync($"/t/u/{d.Token}", body, TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.JournalAsync(client.AccountId)).Single(r => r.Type == "unsubscribe").Payload["source"]!.GetValue<string>().ShouldBe("link");
    }
}
