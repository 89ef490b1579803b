using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Accounts;
using Tidings.Audit;
using Tidings.Rejections;
using Tidings.Tests.Infrastructure;
using Tidings.Users;

namespace Tidings.Tests.Audit;

/// <summary>
/// The audit log through REST: each change to webhooks, domains, secrets, replays, tokens and users is recorded once,
/// with the token's name and id as the actor (never its value), and <c>GET /v3/audit</c> answers it paged and scoped to
/// the token's account.
/// </summary>
public sealed class AuditTrailTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<JsonNode> Data(JsonNode page) => page["data"]!.AsArray().Select(n => n!).ToList();

    private static string Row(JsonNode e) => $"{e.Str("action")} {e.Str("targetType")} {e.Str("targetId")}";

    /// <summary>The token's id and name as the audit log names it.</summary>
    private async Task<string> TokenActorAsync(ApiClient api)
    {
        var token = (await app.Services.GetRequiredService<AccountService>().TokensAsync(api.AccountId, Ct)).Single();
        return $"token '{token.Name}' (id {token.Id})";
    }

    [Fact]
    public async Task Webhook_domain_secret_and_replay_changes_over_rest_are_recorded_once_each_with_the_tokens_name_and_never_a_value()
    {
        var api = await app.NewAccountAsync("Audited");
        var actor = await TokenActorAsync(api);

        var webhook = await api.CreateAsync("/v3/webhooks", new { handler = "https://hooks.example.com/in", trigger = "open" });
        (await api.PutJsonAsync($"/v3/webhook/{webhook}", new { trigger = "click" })).EnsureSuccessStatusCode();
        (await api.PutJsonAsync($"/v3/webhook/{webhook}", new { enabled = false })).EnsureSuccessStatusCode();
        var rotated = await api.PostJsonAsync($"/v3/webhook/{webhook}/secrets/rotate", new { grace = 0 });
        var secretAnswer = await rotated.Content.ReadAsStringAsync(Ct);
        ((int)rotated.StatusCode).ShouldBe(200, secretAnswer);
        var replay = await api.CreateAsync($"/v3/webhook/{webhook}/replay", new { failed = true });
        var domain = await api.CreateAsync("/v3/domains", new { domain = "audit.example.com" });
        (await api.DeleteAsync($"/v3/domain/{domain}")).EnsureSuccessStatusCode();
        (await api.DeleteAsync($"/v3/webhook/{webhook}")).EnsureSuccessStatusCode();

        var (status, text) = await api.GetTextAsync("/v3/audit");
        status.ShouldBe(200, text);
        var entries = Data(JsonNode.Parse(text)!);
        entries.Select(Row).ShouldBe(
        [
            $"deleted webhook {webhook}",
            $"deleted domain {domain}",
            $"created domain {domain}",
            $"replayed replay {replay}",
            $"rotated webhook-secret {webhook}",
            $"disabled webhook {webhook}",
            $"changed webhook {webhook}",
            $"created webhook {webhook}",
        ], "newest first, one entry per change");
        entries.ShouldAllBe(e => e.Str("actorKind") == "token" && e.Str("actor") == actor);
        entries.Last().Str("detail").ShouldBe("https://hooks.example.com/in");
        entries[6].Str("detail").ShouldBe("keys: trigger");
        entries[2].Str("detail").ShouldBe("audit.example.com");

        // Neither the token nor the new secret appears anywhere in the log.
        var secret = JsonNode.Parse(secretAnswer)!.Str("secret");
        text.ShouldNotContain(api.Token);
        text.ShouldNotContain(secret);
        (await app.ScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE actor LIKE @t OR detail LIKE @t OR detail LIKE @s",
            new { t = $"%{api.Token}%", s = $"%{secret}%" })).ShouldBe(0);
    }

    [Fact]
    public async Task The_audit_list_pages_like_copernica_counts_the_total_and_filters_on_the_target_type()
    {
        var api = await app.NewAccountAsync("Paged");
        var ids = new List<long>();
        for (var i = 0; i < 3; i++) ids.Add(await api.CreateAsync("/v3/webhooks", new { handler = $"https://hooks.example.com/{i}", trigger = "open" }));
        var domain = await api.CreateAsync("/v3/domains", new { domain = "paged.example.com" });

        var page = await api.GetJsonAsync("/v3/audit?start=1&limit=2");
        page["start"]!.GetValue<long>().ShouldBe(1);
        page["limit"]!.GetValue<long>().ShouldBe(2);
        page["count"]!.GetValue<long>().ShouldBe(2);
        page["total"]!.GetValue<long>().ShouldBe(4);
        Data(page).Select(Row).ShouldBe([$"created webhook {ids[2]}", $"created webhook {ids[1]}"]);
        (await api.GetJsonAsync("/v3/audit?total=false")).AsObject().ContainsKey("total").ShouldBeFalse();

        var domains = await api.GetJsonAsync("/v3/audit?type=domain");
        domains["total"]!.GetValue<long>().ShouldBe(1);
        Data(domains).Select(Row).ShouldBe([$"created domain {domain}"]);
        await (await api.GetAsync("/v3/audit?type=mailing")).ShouldBeCopernicaErrorAsync("Invalid type (expected one of webhook, domain, webhook-secret, replay, access-token, user, account, database, collection)");

        var first = Data(page)[0];
        first.AsObject().Select(p => p.Key).ShouldBe(["ID", "time", "actorKind", "actor", "action", "targetType", "targetId", "detail"]);
        first.Str("time").ShouldMatch(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$");
    }

    [Fact]
    public async Task Any_token_reads_its_own_accounts_log_and_no_other()
    {
        var api = await app.NewAccountAsync("Mine");
        await api.CreateAsync("/v3/webhooks", new { handler = "https://hooks.example.com/mine", trigger = "open" });
        var reader = await app.NewTokenAsync(api, canWrite: false);
        var stranger = await app.NewAccountAsync("Stranger");

        (await reader.GetJsonAsync("/v3/audit"))["total"]!.GetValue<long>().ShouldBe(1, "a read-only token may read the log");
        (await stranger.GetJsonAsync("/v3/audit"))["total"]!.GetValue<long>().ShouldBe(0);
        await (await app.CreateClient().GetAsync("/v3/audit", Ct)).ShouldBeCopernicaErrorAsync("Invalid access token");
    }

    [Fact]
    public async Task Tokens_made_and_revoked_through_the_account_service_are_recorded_by_name_never_by_value()
    {
        var api = await app.NewAccountAsync("Tokens");
        var accounts = app.Services.GetRequiredService<AccountService>();
        var made = (await accounts.CreateTokenAsync(api.AccountId, "  reporting  ", canWrite: false, Ct))!;
        await accounts.RevokeTokenAsync(api.AccountId, made.TokenId, Ct);

        var entries = Data(await api.GetJsonAsync("/v3/audit?type=access-token"));
        entries.Select(Row).ShouldBe([$"revoked access-token {made.TokenId}", $"created access-token {made.TokenId}"]);
        entries[1].Str("detail").ShouldBe("'reporting', read-only");
        entries.ShouldAllBe(e => e.Str("actorKind") == "system", "made outside any request");
        (await app.ScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE detail LIKE @t OR actor LIKE @t", new { t = $"%{made.Token}%" })).ShouldBe(0);

        // Revoked twice, or by another account, is a missing token.
        (await Should.ThrowAsync<RequestRejectedException>(() => accounts.RevokeTokenAsync(api.AccountId, made.TokenId, Ct))).Message.ShouldBe("No such access token");
        var other = await app.NewAccountAsync("Other");
        var theirs = (await accounts.CreateTokenAsync(other.AccountId, "theirs", canWrite: true, Ct))!;
        await Should.ThrowAsync<RequestRejectedException>(() => accounts.RevokeTokenAsync(api.AccountId, theirs.TokenId, Ct));
        (await accounts.TokensAsync(other.AccountId, Ct)).Select(t => t.Name).ShouldContain("theirs");
        (await Should.ThrowAsync<RequestRejectedException>(() => accounts.CreateTokenAsync(api.AccountId, " ", canWrite: true, Ct))).Message.ShouldBe("Give the token a name");
    }

    [Fact]
    public async Task User_changes_are_recorded_and_the_last_admin_cannot_be_demoted_or_removed()
    {
        var api = await app.NewAccountAsync("People");
        var users = app.Services.GetRequiredService<UserService>();
        var (admin, _) = await users.CreateAsync(api.AccountId, $"admin-{Guid.NewGuid():N}@example.com", UserRole.Admin, "correct horse battery", Ct);
        var (editor, _) = await users.CreateAsync(api.AccountId, $"editor-{Guid.NewGuid():N}@example.com", UserRole.Editor, "correct horse battery", Ct);

        (await Should.ThrowAsync<RequestRejectedException>(() => users.ChangeRoleAsync(api.AccountId, admin.Id, UserRole.Editor, actingUserId: null, Ct)))
            .Message.ShouldBe($"{admin.Email} is the account's last admin; make another user an admin first");
        (await Should.ThrowAsync<RequestRejectedException>(() => users.RemoveAsync(api.AccountId, admin.Id, actingUserId: null, Ct)))
            .Message.ShouldBe($"{admin.Email} is the account's last admin; make another user an admin first");
        (await Should.ThrowAsync<RequestRejectedException>(() => users.ChangeRoleAsync(api.AccountId, editor.Id, UserRole.Admin, actingUserId: editor.Id, Ct)))
            .Message.ShouldBe("You cannot change your own role; another admin can");

        await users.ChangeRoleAsync(api.AccountId, editor.Id, UserRole.Admin, admin.Id, Ct);
        var (reset, oneTime) = await users.ResetPasswordAsync(api.AccountId, admin.Id, editor.Id, Ct);
        reset.MustChangePassword.ShouldBeTrue();
        reset.SecurityStamp.ShouldNotBe(admin.SecurityStamp, "the reset ends the user's sign-ins");
        (await users.SignInAsync(admin.Email, oneTime, Ct)).ShouldBeOfType<SignInOutcome.SignedIn>().User.MustChangePassword.ShouldBeTrue();
        await users.RemoveAsync(api.AccountId, admin.Id, editor.Id, Ct);
        (await users.FindAsync(admin.Id, Ct)).ShouldBeNull();

        var other = await app.NewAccountAsync("Elsewhere");
        (await Should.ThrowAsync<RequestRejectedException>(() => users.RemoveAsync(other.AccountId, editor.Id, null, Ct))).Message.ShouldBe("No such user");

        var entries = Data(await api.GetJsonAsync("/v3/audit?type=user"));
        entries.Select(Row).ShouldBe(
        [
            $"removed user {admin.Id}", $"password-reset user {admin.Id}", $"role-changed user {editor.Id}", $"created user {editor.Id}", $"created user {admin.Id}",
        ]);
        entries[2].Str("detail").ShouldBe($"{editor.Email}: editor to admin");
        entries.ShouldAllBe(e => !e.ToJsonString().Contains(oneTime));
    }

    [Fact]
    public void Without_a_request_the_actor_is_the_command_line_when_an_operator_command_runs_and_the_system_otherwise()
    {
        var actors = new AuditActors(new HttpContextAccessor());
        actors.Current().ShouldBe(new AuditActor(AuditActorKinds.System, "Tidings"));
        actors.RunningCommandLine();
        actors.Current().ShouldBe(new AuditActor(AuditActorKinds.CommandLine, "command line"));
    }
}
