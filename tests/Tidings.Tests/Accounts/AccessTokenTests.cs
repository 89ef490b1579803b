using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Accounts;
using Tidings.Storage;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Accounts;

public sealed class AccessTokenTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    [Fact]
    public void Generated_tokens_carry_at_least_128_random_bits_and_differ()
    {
        var tokens = Enumerable.Range(0, 200).Select(_ => AccessTokens.Generate()).ToList();
        tokens.Distinct().Count().ShouldBe(200);
        (AccessTokens.RandomBytes * 8).ShouldBeGreaterThanOrEqualTo(128);
        tokens.ShouldAllBe(t => t.Length == AccessTokens.RandomBytes * 2 && t.All(char.IsAsciiHexDigitLower));
    }

    [Fact]
    public async Task Only_a_hash_of_the_token_is_stored()
    {
        var client = await app.NewAccountAsync();
        var storage = app.Services.GetRequiredService<IStorage>();
        await using var connection = await storage.OpenReadAsync(TestContext.Current.CancellationToken);
        var stored = (await connection.QueryAsync<byte[]>("SELECT token_hash FROM access_tokens WHERE account_id = @AccountId", new { client.AccountId })).Single();
        stored.ShouldBe(AccessTokens.Hash(client.Token));
        var everything = string.Join('|', (await connection.QueryAsync("SELECT * FROM access_tokens")).Select(r => string.Join(',', ((IDictionary<string, object>)r).Values)));
        everything.ShouldNotContain(client.Token);
    }

    [Fact]
    public void Matching_compares_the_hash_of_the_presented_token()
    {
        var token = AccessTokens.Generate();
        AccessTokens.Matches(token, AccessTokens.Hash(token)).ShouldBeTrue();
        AccessTokens.Matches(token + "0", AccessTokens.Hash(token)).ShouldBeFalse();
        AccessTokens.Matches(token.ToUpperInvariant(), AccessTokens.Hash(token)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_revoked_token_no_longer_authenticates()
    {
        var client = await app.NewAccountAsync();
        var accounts = app.Services.GetRequiredService<AccountStore>();
        var second = await accounts.CreateTokenAsync(client.AccountId, "second", canWrite: true, TestContext.Current.CancellationToken);
        (await accounts.AuthenticateAsync(second.Token, TestContext.Current.CancellationToken)).ShouldNotBeNull();
        (await accounts.RevokeTokenAsync(second.TokenId, TestContext.Current.CancellationToken)).ShouldBeTrue();
        (await accounts.AuthenticateAsync(second.Token, TestContext.Current.CancellationToken)).ShouldBeNull();
    }

    [Fact]
    public async Task Bearer_header_is_accepted_as_well_as_the_query_parameter()
    {
        var client = await app.NewAccountAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v3/identity");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", client.Token);
        var response = await client.Http.SendAsync(request, TestContext.Current.CancellationToken);
        ((int)response.StatusCode).ShouldBe(200);
    }
}
