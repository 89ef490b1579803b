using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.MtaResults;

public sealed class DsnTests(MtaResultsApp app) : IClassFixture<MtaResultsApp>
{
    /// <summary>A bounce as Postfix sends it: notification text, delivery report, and the returned headers.</summary>
    private static string PostfixBounce(string messageId, string recipient, string dsnId = "20261121130211.5E6F7A8B9C@mail.shop.example") => $"""
        Return-Path: <>
        Received: by mail.shop.example (Postfix)
        	id 5E6F7A8B9C; Sat, 21 Nov 2026 14:02:11 +0100 (CET)
        Date: Sat, 21 Nov 2026 14:02:11 +0100 (CET)
        From: MAILER-DAEMON@mail.shop.example (Mail Delivery System)
        Subject: Undelivered Mail Returned to Sender
        To: bounces@mail.shop.example
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
        	boundary="4F1A2B3C4D.1763730131/mail.shop.example"
        Content-Transfer-Encoding: 8bit
        Message-Id: <{dsnId}>

        This is a MIME-encapsulated message.

        --4F1A2B3C4D.1763730131/mail.shop.example
        Content-Description: Notification
        Content-Type: text/plain; charset=us-ascii

        This is the mail system at host mail.shop.example.

        I'm sorry to have to inform you that your message could not
        be delivered to one or more recipients. It's attached below.

        For further assistance, please send mail to postmaster.

                           The mail system

        <{recipient}>: host mx.example.com[192.0.2.25] said: 550 5.1.1
            <{recipient}>: Recipient address rejected: User unknown in virtual mailbox
            table (in reply to RCPT TO command)

        --4F1A2B3C4D.1763730131/mail.shop.example
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mail.shop.example
        X-Postfix-Queue-ID: 4F1A2B3C4D
        X-Postfix-Sender: rfc822; bounces@mail.shop.example
        Arrival-Date: Sat, 21 Nov 2026 14:02:09 +0100 (CET)

        Final-Recipient: rfc822; {recipient}
        Original-Recipient: rfc822;{recipient}
        Action: failed
        Status: 5.1.1
        Remote-MTA: dns; mx.example.com
        Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: Recipient address rejected:
            User unknown in virtual mailbox table

        --4F1A2B3C4D.1763730131/mail.shop.example
        Content-Description: Undelivered Message Headers
        Content-Type: text/rfc822-headers

        Return-Path: <bounces@mail.shop.example>
        Received: from tidings.shop.example (tidings.shop.example [192.0.2.10])
        	by mail.shop.example (Postfix) with ESMTPS id 4F1A2B3C4D
        	for <{recipient}>; Sat, 21 Nov 2026 14:02:09 +0100 (CET)
        Message-ID: <{messageId}.1763730129@mail.shop.example>
        X-Tidings-Message-ID: {messageId}
        From: Shop <news@shop.example>
        To: {recipient}
        Subject: November sale
        Date: Sat, 21 Nov 2026 14:02:08 +0100

        --4F1A2B3C4D.1763730131/mail.shop.example--

        """.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);

    /// <summary>A delay notice that returns the whole original message, found by its Message-ID only.</summary>
    private static string DelayNotice(string messageId, string recipient) => $"""
        From: MAILER-DAEMON@relay.example.net
        To: bounces@mail.shop.example
        Subject: Delayed Mail (still being retried)
        Date: Sat, 21 Nov 2026 18:00:00 +0000
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

        --b1
        Content-Type: text/plain

        Your message has not been delivered yet. The mail system will keep trying.
        --b1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; relay.example.net

        Final-Recipient: rfc822; {recipient}
        Action: delayed
        Status: 4.4.1
        Diagnostic-Code: smtp; 421 4.4.1 Connection timed out
        Will-Retry-Until: Mon, 23 Nov 2026 18:00:00 +0000
        --b1
        Content-Type: message/rfc822

        Message-ID: <{messageId}@mail.shop.example>
        From: news@shop.example
        To: {recipient}
        Subject: November sale

        Hello!
        --b1--
        """;

    private static Task<HttpResponseMessage> PostDsnAsync(ApiClient client, string body, string contentType = "message/rfc822") =>
        client.SendAsync(HttpMethod.Post, "/v3/mta/dsn", body, contentType);

    [Fact]
    public async Task A_postfix_bounce_is_parsed_into_a_bounce_with_code_status_and_diagnostic()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 2);
        var d = s.Destinations[1];
        var summary = await (await PostDsnAsync(client, PostfixBounce(d.MessageId, d.Email))).OkJsonAsync();
        summary["message"]!.GetValue<string>().ShouldBe(d.MessageId);
        summary["recorded"]!.GetValue<int>().ShouldBe(1);

        var (type, bounce, occurred) = (await app.DeliveryEventsAsync(client.AccountId)).Single();
        type.ShouldBe("bounce");
        occurred.ShouldBe(DateTimeOffset.Parse("2026-11-21T13:02:09Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        bounce["message"]!.GetValue<string>().ShouldBe(d.MessageId);
        bounce["email"]!.GetValue<string>().ShouldBe(d.Email);
        bounce["fields"]!["firstname"]!.GetValue<string>().ShouldBe("Person1");
        bounce["code"]!.GetValue<int>().ShouldBe(550);
        bounce["status"]!.GetValue<string>().ShouldBe("5.1.1");
        bounce["description"]!.GetValue<string>().ShouldBe($"550 5.1.1 <{d.Email}>: Recipient address rejected: User unknown in virtual mailbox table");
        bounce["recipient"]!.GetValue<string>().ShouldBe(d.Email);
        bounce["envelope"]!["remotemta"]!.GetValue<string>().ShouldBe("mx.example.com");
        bounce["envelope"]!["reportingmta"]!.GetValue<string>().ShouldBe("mail.shop.example");
        bounce["mime"]!.GetValue<string>().ShouldContain("Undelivered Mail Returned to Sender");
    }

    [Fact]
    public async Task The_same_dsn_posted_twice_is_recorded_once()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 1);
        var dsn = PostfixBounce(s.Destinations[0].MessageId, s.Destinations[0].Email);
        (await (await PostDsnAsync(client, dsn)).OkJsonAsync())["recorded"]!.GetValue<int>().ShouldBe(1);
        var again = await (await PostDsnAsync(client, dsn)).OkJsonAsync();
        again["recorded"]!.GetValue<int>().ShouldBe(0);
        again["duplicates"]!.GetValue<int>().ShouldBe(1);
        (await app.DeliveryEventsAsync(client.AccountId)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_delay_notice_found_by_the_original_message_id_becomes_a_retry()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 1);
        var d = s.Destinations[0];
        (await (await PostDsnAsync(client, DelayNotice(d.MessageId, d.Email), "text/plain")).OkJsonAsync())["recorded"]!.GetValue<int>().ShouldBe(1);
        var (type, retry, _) = (await app.DeliveryEventsAsync(client.AccountId)).Single();
        type.ShouldBe("retry");
        retry["code"]!.GetValue<int>().ShouldBe(421);
        retry["status"]!.GetValue<string>().ShouldBe("4.4.1");
        retry["envelope"]!["willretryuntil"]!.GetValue<string>().ShouldBe("Mon, 23 Nov 2026 18:00:00 +0000");
    }

    [Fact]
    public async Task The_message_id_is_found_in_the_x_tidings_header_of_the_returned_headers()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 1);
        var d = s.Destinations[0];
        var dsn = PostfixBounce(d.MessageId, d.Email).Replace($"<{d.MessageId}.1763730129@", "<unrelated.1763730129@", StringComparison.Ordinal);
        dsn.ShouldNotContain($"<{d.MessageId}.");
        (await (await PostDsnAsync(client, dsn)).OkJsonAsync())["message"]!.GetValue<string>().ShouldBe(d.MessageId);
        (await app.DeliveryEventsAsync(client.AccountId)).Single().Type.ShouldBe("bounce");
    }

    [Fact]
    public async Task A_report_body_posted_with_its_multipart_content_type_is_read_too()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 1);
        var d = s.Destinations[0];
        var full = PostfixBounce(d.MessageId, d.Email);
        var body = full[(full.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        var request = new HttpRequestMessage(HttpMethod.Post, client.Url("/v3/mta/dsn")) { Content = new StringContent(body) };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "multipart/report; report-type=delivery-status; boundary=\"4F1A2B3C4D.1763730131/mail.shop.example\"");
        var response = await client.Http.SendAsync(request, TestContext.Current.CancellationToken);
        (await response.OkJsonAsync())["recorded"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task A_dsn_about_a_message_of_another_account_records_nothing()
    {
        var owner = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(owner, profiles: 1);
        var other = await app.NewAccountAsync();
        var summary = await (await PostDsnAsync(other, PostfixBounce(s.Destinations[0].MessageId, s.Destinations[0].Email))).OkJsonAsync();
        summary["recorded"]!.GetValue<int>().ShouldBe(0);
        summary["unknown"].Ints().ShouldBe([1]);
        (await app.DeliveryEventsAsync(owner.AccountId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Garbage_or_a_report_without_our_message_id_is_refused_and_records_nothing()
    {
        var client = await app.NewAccountAsync();
        var s = await MailingScenario.CreateAsync(client, profiles: 1);
        await (await PostDsnAsync(client, "this is not a mail message at all \u0001\u0002")).ShouldBeCopernicaErrorAsync();
        await (await PostDsnAsync(client, "")).ShouldBeCopernicaErrorAsync();
        var plainMail = "From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nHello\r\n";
        await (await PostDsnAsync(client, plainMail)).ShouldBeCopernicaErrorAsync();
        var withoutId = PostfixBounce(s.Destinations[0].MessageId, s.Destinations[0].Email)
            .Replace($"X-Tidings-Message-ID: {s.Destinations[0].MessageId}\r\n", "", StringComparison.Ordinal)
            .Replace($"<{s.Destinations[0].MessageId}.1763730129@", "<other@", StringComparison.Ordinal);
        var response = await PostDsnAsync(client, withoutId);
        await response.ShouldBeCopernicaErrorAsync();
        (await app.DeliveryEventsAsync(client.AccountId)).ShouldBeEmpty();
    }
}
