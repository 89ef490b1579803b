using System.ComponentModel.DataAnnotations;

namespace Tidings.Journal;

/// <summary>The journal's visibility watermark on PostgreSQL (<see cref="JournalHorizon"/>). Bound from the <c>Events</c> section.</summary>
internal sealed class JournalHorizonOptions
{
    public const string Section = "Events";

    /// <summary>
    /// How long a read that advances the watermark waits at most for the transactions that were appending when it
    /// asked to end, so that it sees rows committed just before (PostgreSQL only). After that it reads up to the mark as
    /// it is, and the next read looks again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan VisibilityWait { get; set; } = TimeSpan.FromSeconds(1);
}
