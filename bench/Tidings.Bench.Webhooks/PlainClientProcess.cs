using System.Diagnostics;
using System.Globalization;

namespace Tidings.Bench.Webhooks;

/// <summary>
/// The plain baseline in a process of its own, as the server under test is: a client and its receiver in two processes
/// pay for waking each other across processes, which a client in the receiver's own process (sharing its thread pool)
/// does not. The child loads the pre-signed bodies from a file, sends them all once unmeasured (its JIT warm-up, as
/// the drains have), says "warm", waits for "go", sends them again and says "done".
/// </summary>
public static class PlainClientProcess
{
    public const string Command = "plain-client";

    /// <summary>The parent's side: starts the child, lets it warm up, resets the tally and times the measured pass.</summary>
    public static async Task<(double PerSecond, double ClientMicrosPerCall)> RunAsync(
        Receiver receiver, IReadOnlyList<SignedBody> bodies, string contentType, int concurrency, Func<Tally> reset)
    {
        var file = Path.Combine(Path.GetTempPath(), "tidings-bench-plain-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await SaveAsync(file, bodies);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { typeof(PlainClientProcess).Assembly.Location, Command, $"http://127.0.0.1:{receiver.Port}/plain", file, contentType, concurrency.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(a);
            }

            using var child = Process.Start(start) ?? throw new InvalidOperationException("the plain client did not start");
            await Expect(child, "warm");
            var tally = reset();
            var cpu = child.TotalProcessorTime;
            await child.StandardInput.WriteLineAsync("go");
            await child.StandardInput.FlushAsync();
            await Expect(child, "done");
            var used = child.TotalProcessorTime - cpu;
            await child.WaitForExitAsync();
            if (tally.Delivered != bodies.Count) throw new InvalidOperationException($"plain client process: {tally.Delivered} of {bodies.Count} arrived");
            return (tally.DeliveriesPerSecond, used.TotalMicroseconds / bodies.Count);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task Expect(Process child, string line)
    {
        var got = await child.StandardOutput.ReadLineAsync();
        if (got != line) throw new InvalidOperationException($"plain client process said '{got}', expected '{line}'");
    }

    /// <summary>The child's side: <c>plain-client URL FILE CONTENT-TYPE CONCURRENCY</c>.</summary>
    public static async Task<int> ChildAsync(string[] args)
    {
        var url = new Uri(args[1]);
        var bodies = await LoadAsync(args[2]);
        var concurrency = int.Parse(args[4], CultureInfo.InvariantCulture);
        await PlainBaseline.RunAsync(url, bodies, args[3], concurrency);
        Console.WriteLine("warm");
        if (await Console.In.ReadLineAsync() != "go") return 1;
        await PlainBaseline.RunAsync(url, bodies, args[3], concurrency);
        Console.WriteLine("done");
        return 0;
    }

    private static async Task SaveAsync(string file, IReadOnlyList<SignedBody> bodies)
    {
        await using var stream = File.Create(file);
        await using var writer = new BinaryWriter(stream);
        writer.Write(bodies.Count);
        foreach (var b in bodies)
        {
            writer.Write(b.Id);
            writer.Write(b.Timestamp);
            writer.Write(b.Signature);
            writer.Write(b.Body.Length);
            writer.Write(b.Body);
        }
    }

    private static async Task<List<SignedBody>> LoadAsync(string file)
    {
        await using var stream = File.OpenRead(file);
        using var reader = new BinaryReader(stream);
        var count = reader.ReadInt32();
        var bodies = new List<SignedBody>(count);
        for (var i = 0; i < count; i++)
        {
            var (id, timestamp, signature) = (reader.ReadString(), reader.ReadString(), reader.ReadString());
            bodies.Add(new SignedBody(reader.ReadBytes(reader.ReadInt32()), id, timestamp, signature));
        }

        return bodies;
    }
}
