using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Tidings.Events.Intake;
using Tidings.Storage;

namespace Tidings.Tests.Infrastructure;

public static class JournalReads
{
    /// <summary>
    /// A read connection opened once every event acknowledged so far is a journal row: tracked events are acknowledged
    /// when they are in the intake log and become rows a moment later.
    /// </summary>
    public static async ValueTask<DbConnection> OpenCaughtUpReadAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<JournalIntake>().WaitUntilJournaledAsync(cancellationToken);
        return await services.GetRequiredService<IStorage>().OpenReadAsync(cancellationToken);
    }

    /// <summary>Completes once every event acknowledged so far is a journal row (and so in the log files and the consumers' reach).</summary>
    public static Task JournaledAsync(this IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<JournalIntake>().WaitUntilJournaledAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
}
