using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using Tidings.Events;
using Tidings.Events.Intake;
using Tidings.Storage;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Health;

/// <summary>What one check found: a <see cref="CheckStates"/> value, a short reason, and the error behind a failure.</summary>
internal sealed record CheckOutcome(string State, string Detail, Exception? Error = null);

/// <summary>
/// The checks behind <c>/readyz</c>, by name: the database answers a trivial query, the journal writer and the webhook
/// engine are running, and the folders Tidings writes to are not nearly full. Delivery leases play no part: on
/// PostgreSQL a node that is not the delivery leader still serves the API and takes events, so it is ready.
/// </summary>
internal sealed class ReadinessChecks(
    IStorage storage, JournalWriter journal, WebhookDispatcher dispatcher, DispatchOptions dispatch, JournalIntake intake,
    IOptions<StorageOptions> storageOptions, IOptions<HealthOptions> options, TimeProvider time)
{
    private readonly HealthOptions _options = options.Value;

    public IEnumerable<(string Name, Func<Task<CheckOutcome>> Run)> All()
    {
        yield return ("database", DatabaseAsync);
        yield return ("journal_writer", () => Task.FromResult(Journal()));
        yield return ("webhook_engine", () => Task.FromResult(WebhookEngine()));
        yield return ("data_disk", () => Task.FromResult(Disk(DataFolder.Of(storageOptions.Value))));
        if (intake.Enabled) yield return ("intake_disk", () => Task.FromResult(Disk(intake.Directory)));
    }

    /// <summary>Reads the migrations table: it touches the database itself (a bare <c>SELECT 1</c> need not on SQLite).</summary>
    private async Task<CheckOutcome> DatabaseAsync()
    {
        using var timeout = new CancellationTokenSource(_options.DatabaseTimeout, time);
        try
        {
            await using var connection = await storage.OpenReadAsync(timeout.Token);
            await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(version) FROM schema_migrations", cancellationToken: timeout.Token));
            return new CheckOutcome(CheckStates.Ok, "answers queries");
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested)
        {
            return new CheckOutcome(CheckStates.Failing, $"no answer within {_options.DatabaseTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", ex);
        }
        catch (Exception ex)
        {
            // The exception's type only: a message may name hosts or users, and this answer needs no authentication.
            return new CheckOutcome(CheckStates.Failing, $"query failed ({ex.GetType().Name})", ex);
        }
    }

    private CheckOutcome Journal() => journal.IsRunning
        ? new CheckOutcome(CheckStates.Ok, "running")
        : new CheckOutcome(CheckStates.Failing, "stopped: events cannot be recorded");

    private CheckOutcome WebhookEngine() =>
        !dispatch.Enabled ? new CheckOutcome(CheckStates.Disabled, "Webhooks:Dispatch:Enabled is false")
        : dispatcher.IsRunning ? new CheckOutcome(CheckStates.Ok, "running")
        : new CheckOutcome(CheckStates.Failing, "stopped: webhooks are not delivered");

    private CheckOutcome Disk(string folder)
    {
        var space = DiskSpace.Of(folder);
        var free = string.Create(CultureInfo.InvariantCulture, $"{space.AvailableBytes} bytes free ({space.AvailablePercent:0.#} %)");
        var nearlyFull = space.AvailableBytes < _options.MinFreeDiskBytes || space.AvailablePercent < _options.MinFreeDiskPercent;
        return nearlyFull
            ? new CheckOutcome(CheckStates.Failing, string.Create(CultureInfo.InvariantCulture,
                $"{free}, below Health:MinFreeDiskBytes ({_options.MinFreeDiskBytes}) or Health:MinFreeDiskPercent ({_options.MinFreeDiskPercent})"))
            : new CheckOutcome(CheckStates.Ok, free);
    }
}
