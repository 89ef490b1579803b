using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Profiles;

/// <summary>
/// The <c>secret</c> of profiles and subprofiles: Copernica's live API issues 28 lower-case hex characters; a secret
/// set with PUT is kept as given (non-ASCII characters become <c>?</c>) and does not change <c>modified</c>.
/// </summary>
public sealed class SecretTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private async Task<(ApiClient Client, long Pid, long Sid, long Db, long Collection)> SeedAsync()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("name", "text"));
        var collection = await client.CreateAsync($"/v3/database/{db}/collections", new { name = "Orders" });
        var pid = await client.CreateProfileAsync(db, new { name = "Ann" });
        var sid = await client.CreateAsync($"/v3/profile/{pid}/subprofiles/{collection}", new { });
        return (client, pid, sid, db, collection);
    }

    [Fact]
    public async Task New_profiles_and_subprofiles_get_28_lower_case_hex_characters_each_their_own()
    {
        var (client, pid, sid, db, collection) = await SeedAsync();
        var second = await client.CreateProfileAsync(db, new { name = "Bob" });
        var secondSub = await client.CreateAsync($"/v3/profile/{second}/subprofiles/{collection}", new { });
        var secrets = new List<string>();
        foreach (var path in new[] { $"/v3/profile/{pid}", $"/v3/profile/{second}", $"/v3/subprofile/{sid}", $"/v3/subprofile/{secondSub}" })
        {
            secrets.Add((await client.GetJsonAsync(path)).Str("secret"));
        }

        secrets.ShouldAllBe(s => System.Text.RegularExpressions.Regex.IsMatch(s, "^[0-9a-f]{28}$"));
        secrets.Distinct().Count().ShouldBe(4);
    }

    [Theory]
    [InlineData("profile")]
    [InlineData("subprofile")]
    public async Task A_secret_put_is_kept_as_given_and_leaves_modified_alone(string entity)
    {
        var (client, pid, sid, db, collection) = await SeedAsync();
        var (path, table, id) = entity == "profile" ? ($"/v3/profile/{pid}", $"database_{db}_profiles", pid) : ($"/v3/subprofile/{sid}", $"collection_{collection}_subprofiles", sid);
        var modified = await app.ScalarAsync<long>($"SELECT modified FROM {table} WHERE id = @id", new { id });
        await WaitForClockPastAsync(modified);

        await (await client.SendAsync(HttpMethod.Put, path, "{\"secret\":\" My Secret, not hex! \"}")).ShouldHaveStatusAsync(204);
        (await client.GetJsonAsync(path)).Str("secret").ShouldBe(" My Secret, not hex! ");
        await (await client.SendAsync(HttpMethod.Put, path, "{\"secret\":\"g\u00ebheim\u20ac\ud83d\ude00-1\"}")).ShouldHaveStatusAsync(204);
        (await client.GetJsonAsync(path)).Str("secret").ShouldBe("g?heim??-1");
        (await app.ScalarAsync<long>($"SELECT modified FROM {table} WHERE id = @id", new { id })).ShouldBe(modified);
    }

    [Fact]
    public async Task A_secret_set_with_put_is_found_by_the_code_filter()
    {
        var (client, pid, _, db, _) = await SeedAsync();
        await (await client.PutJsonAsync($"/v3/profile/{pid}", new { secret = "caf\u00e9" })).ShouldHaveStatusAsync(204);
        (await client.GetJsonAsync($"/v3/database/{db}/profiles?fields[]=code==caf%3F")).DataIds().ShouldBe([pid.S()]);
    }

    private static async Task WaitForClockPastAsync(long unixMs)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(5);
        while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() <= unixMs + 1)
        {
            if (DateTimeOffset.UtcNow > deadline) throw new TimeoutException("The clock did not move");
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }
    }
}
