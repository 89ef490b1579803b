using System.ComponentModel.DataAnnotations;

namespace Tidings.MtaResults;

/// <summary>Results reported by the mail transfer agent (<c>mta/results</c>, <c>mta/dsn</c>). Bound from the <c>Delivery</c> section.</summary>
internal sealed class MtaResultsOptions
{
    public const string Section = "Delivery";

    /// <summary>Most results (array elements or lines) in one <c>POST mta/results</c>; more refuses the whole request.</summary>
    [Range(1, 1_000_000)]
    public int MaxResultsPerRequest { get; set; } = 10_000;

    /// <summary>Most malformed lines listed in a 400 answer (the message still says how many there were).</summary>
    [Range(1, 100_000)]
    public int MaxReportedErrors { get; set; } = 100;

    /// <summary>Longest <c>description</c> (SMTP diagnostic) kept, in characters; longer ones are cut.</summary>
    [Range(16, 1_000_000)]
    public int MaxDescriptionChars { get; set; } = 2000;

    /// <summary>Longest raw DSN message kept in a bounce's <c>mime</c> fact, in characters; longer ones are cut.</summary>
    [Range(0, 100_000_000)]
    public int MaxStoredReportChars { get; set; } = 65_536;
}
