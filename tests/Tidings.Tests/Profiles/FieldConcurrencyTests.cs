using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Profiles;

/// <summary>
/// Field changes that race (two deletes, or a change and a delete, of the same field) act on the field as it is when
/// their turn comes: the one that finds it gone is a 400, never a server error from a column that no longer exists.
/// </summary>
public sealed class FieldConcurrencyTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    [Fact]
    public async Task Concurrent_deletes_and_changes_of_one_field_end_in_one_success_and_clear_errors()
    {
        var client = await app.NewAccountAsync();
        var db = await client.CreateDatabaseAsync("Shop", ("email", "email"));
        for (var round = 0; round < 5; round++)
        {
            var field = await client.CreateAsync($"/v3/database/{db}/fields", new { name = $"f{round}", type = "text", index = true });
            await client.CreateProfileAsync(db, new Dictionary<string, string> { [$"f{round}"] = "42" });
            var calls = new[]
            {
                client.DeleteAsync($"/v3/database/{db}/field/{field}"),
                client.DeleteAsync($"/v3/database/{db}/field/{field}"),
                client.PutJsonAsync($"/v3/database/{db}/field/{field}", new { type = "integer", index = false }),
                client.PutJsonAsync($"/v3/database/{db}/field/{field}", new { type = "float", index = true }),
            };
            var responses = await Task.WhenAll(calls);
            var statuses = responses.Select(r => (int)r.StatusCode).ToList();
            statuses.ShouldAllBe(s => s == 204 || s == 400, string.Join(", ", statuses));
            statuses.Take(2).Count(s => s == 204).ShouldBe(1);
            foreach (var failed in responses.Where(r => (int)r.StatusCode == 400)) await failed.ShouldBeCopernicaErrorAsync("No field with supplied ID");
            (await client.GetJsonAsync($"/v3/database/{db}/fields"))["data"]!.AsArray().Select(f => f!.Str("name")).ShouldBe(["email"]);
        }
    }
}
