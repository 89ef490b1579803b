using System.Diagnostics;
using System.Net;
using Dapper;
using Microsoft.Data.Sqlite;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Backup;

/// <summary>
/// <c>backup</c> and <c>restore</c> as an operator runs them, against the real server as a process: an online backup
/// under load holds every event acknowledged before it began, and restore refuses what would do damage.
/// </summary>
public sealed class BackupRestoreTests : IDisposable
{
    private const string SqlitePassOnly = "Backs up a SQLite data folder: runs in the SQLite pass";

    /// <summary>
    /// The machine counts as always busy and the limits are far off, so the opens and clicks stay in the intake log,
    /// in segments of 4 KiB, and the backup's copy of it is all that keeps them: without it the test fails. (Right
    /// after the backup process starts, a server that journals at once would have made them rows before the copy.)
    /// </summary>
    private static readonly KeyValuePair<string, string>[] Deferring =
    [
        new("Events:IntakeIdleCpuThreshold", "1"),
        new("Events:IntakeMaxDeferral", "00:10:00"),
        new("Events:IntakeMaxDeferredBytes", "1073741824"),
        new("Events:IntakeSegmentBytes", "4096"),
    ];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tidings-tests", "backup-" + Guid.NewGuid().ToString("N"));

    public BackupRestoreTests() => Directory.CreateDirectory(_directory);

    private string Folder(string name) => Path.Combine(_directory, name);

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task A_backup_taken_under_load_restores_every_event_acknowledged_before_it_began()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = Path.Combine(Folder("live"), "tidings.db");
        var backup = Folder("backup");
        List<TestDestination> destinations;
        Dictionary<long, int> beforeBackup;
        string output;

        using (var server = await ServerProcess.StartAsync(database, Deferring, ct: ct))
        {
            var token = await server.WaitForAccessTokenAsync(TimeSpan.FromSeconds(30));
            using var setup = new HttpClient { BaseAddress = server.BaseAddress };
            destinations = [.. (await MailingScenario.CreateAsync(new ApiClient(setup, token, 1), profiles: 20)).Destinations];

            var counts = new int[destinations.Count];
            var total = 0;
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            using var stop = new CancellationTokenSource();
            async Task ClientAsync(int worker)
            {
                for (var i = worker; !stop.IsCancellationRequested; i += 16)
                {
                    var index = i % destinations.Count;
                    var url = i % 3 == 0 ? destinations[index].ClickUrls[0] : destinations[index].OpenUrl;
                    try
                    {
                        using var response = await http.GetAsync(url, stop.Token);
                        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Found)
                        {
                            Interlocked.Increment(ref counts[index]);
                            Interlocked.Increment(ref total);
                        }
                    }
                    catch (HttpRequestException) { }
                    catch (OperationCanceledException) { }
                }
            }

            var clients = Enumerable.Range(0, 16).Select(w => Task.Run(() => ClientAsync(w), ct)).ToArray();
            var watch = Stopwatch.StartNew();
            while (Volatile.Read(ref total) < 2000 && watch.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(10, ct);
            Volatile.Read(ref total).ShouldBeGreaterThanOrEqualTo(2000, "the load must be running when the backup begins");

            // Everything counted here was answered before the backup process was even started.
            beforeBackup = destinations.Select((d, i) => (d.Id, Volatile.Read(ref counts[i]))).ToDictionary();
            var atStart = Volatile.Read(ref total);
            int exit;
            (exit, output) = await CommandLine.RunAsync(database, [], "backup", backup);
            var duringBackup = Volatile.Read(ref total) - atStart;
            await stop.CancelAsync();
            await Task.WhenAll(clients);

            exit.ShouldBe(0, output);
            duringBackup.ShouldBeGreaterThan(0, "events must have been acknowledged while the backup ran");
            await server.StopAsync(TimeSpan.FromSeconds(30));
        }

        output.ShouldMatch(@"Database: \d+ of \d+ pages copied \(100%\)");
        output.ShouldContain("The master key is not in the backup");
        if (!OperatingSystem.IsWindows()) File.GetUnixFileMode(backup).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.EnumerateFiles(backup, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ShouldNotContain("master.key");
        Directory.EnumerateFiles(Path.Combine(backup, "tidings.db-intake")).Sum(f => new FileInfo(f).Length)
            .ShouldBeGreaterThan(0, "acknowledged events must have been waiting in the intake log, so that its copy counts");

        // Not over the existing database unless told.
        var (refused, refusal) = await CommandLine.RunAsync(database, [], "restore", backup);
        refused.ShouldBe(1, refusal);
        refusal.ShouldContain("--force");

        var restored = Path.Combine(Folder("restored"), "tidings.db");
        var (restoredExit, restoreOutput) = await CommandLine.RunAsync(restored, [], "restore", backup);
        restoredExit.ShouldBe(0, restoreOutput);
        File.Copy(Path.Combine(Folder("live"), "master.key"), Path.Combine(Folder("restored"), "master.key")); // kept apart, brought back

        using (await ServerProcess.StartAsync(restored, ct: ct))
        {
            await using var connection = new SqliteConnection($"Data Source={restored};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync(ct);
            Dictionary<long, long> journaled;
            var waited = Stopwatch.StartNew();
            do
            {
                // The restored intake log becomes journal rows right after the start.
                journaled = (await connection.QueryAsync<(long Destination, long Count)>(
                    "SELECT destination_id, COUNT(*) FROM journal WHERE type IN ('open', 'click') GROUP BY destination_id")).ToDictionary(r => r.Destination, r => r.Count);
                if (beforeBackup.All(a => journaled.GetValueOrDefault(a.Key) >= a.Value)) break;
                await Task.Delay(100, ct);
            }
            while (waited.Elapsed < TimeSpan.FromSeconds(30));

            foreach (var (destination, count) in beforeBackup)
            {
                journaled.GetValueOrDefault(destination).ShouldBeGreaterThanOrEqualTo(count, $"destination {destination}: every event acknowledged before the backup began must be restored");
            }
        }
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Restore_refuses_to_run_beside_a_server_on_the_data_folder()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = Path.Combine(Folder("live"), "tidings.db");
        var backup = Folder("backup");
        using var server = await ServerProcess.StartAsync(database, ct: ct);
        var (exit, output) = await CommandLine.RunAsync(database, [], "backup", backup);
        exit.ShouldBe(0, output);
        var before = File.GetLastWriteTimeUtc(database);

        var (refused, refusal) = await CommandLine.RunAsync(database, [], "restore", backup, "--force");

        refused.ShouldBe(1, refusal);
        refusal.ShouldContain("Another Tidings server is already running on the data folder");
        File.GetLastWriteTimeUtc(database).ShouldBe(before);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        (await http.GetAsync("/", ct)).StatusCode.ShouldNotBe(HttpStatusCode.ServiceUnavailable);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Restore_refuses_a_damaged_backup_and_one_that_lacks_its_files()
    {
        var database = Path.Combine(Folder("live"), "tidings.db");
        var backup = Folder("backup");
        var (made, madeOutput) = await CommandLine.RunAsync(database, [], "accounts", "list"); // creates and migrates a database
        made.ShouldBe(0, madeOutput);
        var (exit, output) = await CommandLine.RunAsync(database, [], "backup", backup);
        exit.ShouldBe(0, output);

        // Pages past the first overwritten: the header still says SQLite, the b-trees are garbage.
        var copy = Path.Combine(backup, "tidings.db");
        await using (var file = new FileStream(copy, FileMode.Open, FileAccess.Write))
        {
            file.Length.ShouldBeGreaterThan(16384);
            file.Position = 4096;
            await file.WriteAsync(Enumerable.Repeat((byte)0x5A, (int)file.Length - 8192).ToArray(), TestContext.Current.CancellationToken);
        }

        var target = Path.Combine(Folder("restored"), "tidings.db");
        var (refused, refusal) = await CommandLine.RunAsync(target, [], "restore", backup);
        refused.ShouldBe(1, refusal);
        refusal.ShouldContain("is damaged");
        File.Exists(target).ShouldBeFalse("a damaged backup must leave the data folder as it was");
        Directory.EnumerateFileSystemEntries(Folder("restored")).Where(f => Path.GetFileName(f) != "server.lock").ShouldBeEmpty();

        var incomplete = Folder("incomplete");
        Directory.CreateDirectory(incomplete);
        File.Copy(database, Path.Combine(incomplete, "tidings.db"));
        var (missing, missingOutput) = await CommandLine.RunAsync(target, [], "restore", incomplete);
        missing.ShouldBe(1, missingOutput);
        missingOutput.ShouldContain("tidings.db-intake folder is missing");
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Backup_of_a_large_database_shows_its_progress_in_pages()
    {
        // About 40 MiB: some 10,000 pages of 4 KiB, more than two steps of the copy. backup neither migrates nor needs
        // a Tidings schema, so a plain SQLite file stands in for a large data folder.
        var database = Path.Combine(Folder("large"), "tidings.db");
        Directory.CreateDirectory(Folder("large"));
        await using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await connection.ExecuteAsync("""
                CREATE TABLE filler (data BLOB);
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
                INSERT INTO filler SELECT randomblob(4000) FROM n;
                """);
        }

        var (exit, output) = await CommandLine.RunAsync(database, [], "backup", Folder("backup"));

        exit.ShouldBe(0, output);
        var copied = System.Text.RegularExpressions.Regex.Matches(output, @"Database: (\d+) of (\d+) pages copied").Select(m => long.Parse(m.Groups[1].Value)).ToList();
        copied.Count.ShouldBeGreaterThanOrEqualTo(3, output);
        copied.ShouldBeInOrder(SortDirection.Ascending);
        new FileInfo(Path.Combine(Folder("backup"), "tidings.db")).Length.ShouldBe(new FileInfo(database).Length);
    }

    [Fact(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    public async Task Backup_on_postgresql_points_to_pg_dump_and_fails()
    {
        // No PostgreSQL is needed: the command stops before it would connect.
        var (exit, output) = await CommandLine.RunAsync(Path.Combine(Folder("pg"), "tidings.db"),
            ["--Storage:Provider=Postgres", "--Storage:PostgresConnectionString=Host=127.0.0.1;Port=1;Database=none"], "backup", Folder("backup"));

        exit.ShouldBe(1, output);
        output.ShouldContain("pg_dump");
        Directory.Exists(Folder("backup")).ShouldBeFalse();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
