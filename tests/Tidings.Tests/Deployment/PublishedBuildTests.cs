using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Tidings.Tests.Hosting;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Deployment;

/// <summary>
/// <c>dotnet publish</c> as docs/operations.md gives it, and the published build run from another working directory:
/// the embedded migrations, dashboard assets and compiled Razor pages must work from the published output alone (a
/// single-file bundle loads them differently from a folder of dlls).
/// </summary>
public sealed partial class PublishedBuildTests
{
    private const string SqlitePassOnly = "Publishes and runs its own server on SQLite: runs in the SQLite pass.";

    [Theory(Skip = SqlitePassOnly, SkipWhen = nameof(TidingsApp.SuiteOnPostgres), SkipType = typeof(TidingsApp))]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_published_build_serves_the_dashboard_and_the_REST_API_from_its_own_files(bool selfContained)
    {
        var ct = TestContext.Current.CancellationToken;
        var root = Directory.CreateTempSubdirectory("tidings-publish-");
        try
        {
            var output = Path.Combine(root.FullName, "out");
            await PublishAsync(CopySources(root.FullName), output, selfContained, ct);
            var assembly = DeployFiles.AssemblyName();
            if (!selfContained)
            {
                // What the Dockerfile's ENTRYPOINT runs is what publish produced.
                var entry = DeployFiles.ExecForm(DeployFiles.FinalStage(DeployFiles.Dockerfile).Last(i => i.Name == "ENTRYPOINT").Arguments)!;
                Assert.True(File.Exists(Path.Combine(output, Path.GetFileName(entry[^1]))), $"publish did not produce {entry[^1]}");
            }
            else
            {
                Assert.True(File.Exists(Path.Combine(output, assembly)), "no single-file executable " + assembly);
                Assert.False(File.Exists(Path.Combine(output, assembly + ".dll")), "a single-file build still has " + assembly + ".dll beside it");
            }

            var work = Directory.CreateDirectory(Path.Combine(root.FullName, "work")).FullName;
            using var server = PublishedServer.Start(output, assembly, selfContained, work);
            var baseAddress = await server.WaitForAddressAsync(TimeSpan.FromSeconds(90));
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = baseAddress };

            // Relative data paths resolve against the working directory, not the application's folder.
            Assert.True(File.Exists(Path.Combine(work, "data", "tidings.db")), "no data/tidings.db in the working directory");
            Assert.False(Directory.Exists(Path.Combine(output, "data")), "the data folder was created in the application's folder");

            var home = await client.GetAsync(new Uri("/dashboard", UriKind.Relative), ct);
            Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
            Assert.Equal("/dashboard/signin", home.Headers.Location is { IsAbsoluteUri: true } location ? location.AbsolutePath : home.Headers.Location?.OriginalString.Split('?')[0]);

            var signIn = await client.GetStringAsync(new Uri("/dashboard/signin", UriKind.Relative), ct);
            Assert.Contains("<title>Sign in · Tidings</title>", signIn, StringComparison.Ordinal);
            var css = AssetLink().Match(signIn);
            Assert.True(css.Success, "the sign-in page links no stylesheet");
            var asset = await client.GetAsync(new Uri(css.Value, UriKind.Relative), ct);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal("text/css", asset.Content.Headers.ContentType?.MediaType);
            Assert.True((await asset.Content.ReadAsByteArrayAsync(ct)).Length > 1000, "the stylesheet is (nearly) empty");

            // The REST API on a database the embedded migrations created.
            var token = (await File.ReadAllTextAsync(Path.Combine(work, "data", "first-access-token"), ct)).Trim();
            var databases = await client.GetAsync(new Uri("/v3/databases?access_token=" + Uri.EscapeDataString(token), UriKind.Relative), ct);
            Assert.Equal(HttpStatusCode.OK, databases.StatusCode);
            Assert.Contains("\"total\":0", await databases.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
            Assert.Contains(server.Output, l => l.Contains("Applying storage migration 0001", StringComparison.Ordinal));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The server project and the build files it needs, copied apart: publishing in the repository would rewrite
    /// src/Tidings/obj (its restore for a runtime identifier) under the build the other tests run.
    /// </summary>
    private static string CopySources(string destination)
    {
        var repository = ConfigurationDoc.RepositoryRoot;
        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", ".globalconfig" })
        {
            File.Copy(Path.Combine(repository, file), Path.Combine(destination, file));
        }

        var source = Path.Combine(repository, "src", "Tidings");
        var target = Path.Combine(destination, "src", "Tidings");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            var top = relative.Split(Path.DirectorySeparatorChar)[0];
            if (top is "bin" or "obj" or "data") continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }

        return Path.Combine(target, "Tidings.csproj");
    }

    /// <summary>The commands of docs/operations.md "Publishing".</summary>
    private static async Task PublishAsync(string project, string output, bool selfContained, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "publish", project, "-c", "Release", "-o", output, "-nologo" }) start.ArgumentList.Add(argument);
        if (selfContained)
        {
            foreach (var argument in new[] { "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "-p:PublishSingleFile=true" }) start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromMinutes(8), ct);
        Assert.True(process.ExitCode == 0, $"dotnet publish exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
    }

    [GeneratedRegex(@"/dashboard/assets/dashboard\.css[^""]*")]
    private static partial Regex AssetLink();

    /// <summary>The published build as a child process on a port the system chooses.</summary>
    private sealed partial class PublishedServer : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _output = new();

        private PublishedServer(Process process) => _process = process;

        public IReadOnlyCollection<string> Output => _output;

        public static PublishedServer Start(string folder, string assembly, bool selfContained, string workingDirectory)
        {
            var start = new ProcessStartInfo(selfContained ? Path.Combine(folder, assembly) : "dotnet")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory,
            };
            if (!selfContained) start.ArgumentList.Add(Path.Combine(folder, assembly + ".dll"));
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add("http://127.0.0.1:0");
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["DOTNET_ENVIRONMENT"] = "Production";
            var server = new PublishedServer(Process.Start(start)!);
            server._process.OutputDataReceived += (_, e) => { if (e.Data is not null) server._output.Enqueue(e.Data); };
            server._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) server._output.Enqueue(e.Data); };
            server._process.BeginOutputReadLine();
            server._process.BeginErrorReadLine();
            return server;
        }

        /// <summary>The address from Kestrel's "Now listening on" line, once it is written.</summary>
        public async Task<Uri> WaitForAddressAsync(TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                if (_output.Select(l => Listening().Match(l)).FirstOrDefault(m => m.Success) is { } match) return new Uri(match.Groups[1].Value + "/");
                await Task.Delay(50);
            }

            throw new TimeoutException("The published server did not start listening; it wrote:\n" + string.Join('\n', _output));
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
            _process.Dispose();
        }

        [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
        private static partial Regex Listening();
    }
}
