using System.Reflection;

namespace Tidings.Hosting;

/// <summary>
/// The steps around the server's start that end the process with exit code 1 and one line on standard error instead of
/// a stack trace: bad configuration, a second server on the same data folder, a failed start. When the application is
/// hosted by something else (the tests' WebApplicationFactory), they throw instead, so that the host sees the failure.
/// </summary>
internal static class ServerStart
{
    public const int Failed = 1;

    /// <summary>
    /// The builder, with the settings of the command line and appsettings.json from the application's folder; null
    /// (after saying why) when a configuration file cannot be read.
    /// </summary>
    public static WebApplicationBuilder? CreateBuilder(string[] args)
    {
        try
        {
            return WebApplication.CreateBuilder(new WebApplicationOptions
            {
                Args = AdminCommandLine.ConfigurationArguments(args),
                ContentRootPath = ApplicationFolder.ContentRoot(args),
            });
        }
        catch (InvalidDataException ex)
        {
            Fail("Invalid configuration: " + OneLine(string.Join(": ", Messages(ex))));
            return null;
        }
    }

    /// <summary>Validates the configuration before anything is created; false (after saying why) when it is bad.</summary>
    public static bool CheckConfiguration(WebApplication app)
    {
        var problems = ConfigurationCheck.Problems(app.Services);
        if (problems.Count == 0) return true;
        Fail(string.Join(Environment.NewLine, problems.Select(p => "Invalid configuration: " + p)));
        return false;
    }

    /// <summary>Takes the data folder's <see cref="ServerLock"/>; false (after saying why) when another server holds it.</summary>
    public static bool LockDataFolder(WebApplication app)
    {
        var serverLock = app.Services.GetRequiredService<ServerLock>();
        if (serverLock.TryAcquire() is { } refusal)
        {
            Fail(refusal);
            return false;
        }

        // Released once stopped, not only when the services are disposed, which may finish after the host has returned
        // from stopping: a server started next on the same folder (a restart in-process) must not find it held.
        app.Lifetime.ApplicationStopped.Register(serverLock.Dispose);
        return true;
    }

    /// <summary>
    /// Runs the server until it stops. A start that fails (logged in full by the host) exits with 1, and so does a stop
    /// cut short by <c>Server:ShutdownTimeout</c>.
    /// </summary>
    public static async Task<int> RunAsync(WebApplication app)
    {
        // Noted as it happens: once the host is disposed, its lifetime's tokens can no longer be asked.
        var started = false;
        app.Lifetime.ApplicationStarted.Register(() => started = true);
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (IsOwnProcess && started)
        {
            // Started, so this is the stop: a service's stop outlasted Server:ShutdownTimeout (logged by ShutdownLog) or failed.
            await Console.Error.WriteLineAsync("Tidings did not stop in order: " + OneLine(ex.Message));
            return Failed;
        }
        catch (Exception ex) when (IsOwnProcess && ex is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("Tidings did not start: " + OneLine(ex.Message));
            return Failed;
        }
    }

    private static IEnumerable<string> Messages(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException) yield return ex.Message.TrimEnd('.');
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static bool IsOwnProcess => Assembly.GetEntryAssembly() == typeof(ServerStart).Assembly;

    private static void Fail(string message)
    {
        if (!IsOwnProcess) throw new InvalidOperationException(message);
        Console.Error.WriteLine(message);
    }
}
