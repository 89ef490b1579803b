using System.Net;
using System.Text;

namespace Tidings.Bench;

/// <summary>A REST create as the benchmarks' setup makes it: the new object's id, or an exception naming the answer.</summary>
public static class RestCreate
{
    public static async Task<string> PostAsync(HttpClient client, string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, content);
        if (response.StatusCode != HttpStatusCode.Created || !response.Headers.TryGetValues("X-Created", out var ids))
        {
            throw new InvalidOperationException($"POST {path.Split('?')[0]} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return ids.First();
    }
}
