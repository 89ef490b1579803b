using System.Text.Json.Serialization;
using Tidings.Events;

namespace Tidings.MtaResults;

/// <summary>
/// What became of the usable results (<c>POST mta/results</c> when all were usable): recorded, duplicates, and the
/// numbers (line or recipient) of those with an unknown message id.
/// </summary>
internal sealed record MtaSummaryAnswer(int Recorded, int Duplicates, IReadOnlyList<int> Unknown)
{
    public static MtaSummaryAnswer Of(AppendOutcome[] outcomes, IReadOnlyList<int> numbers) => new(
        outcomes.Count(o => o == AppendOutcome.Recorded),
        outcomes.Count(o => o == AppendOutcome.Duplicate),
        numbers.Where((_, i) => outcomes[i] == AppendOutcome.UnknownDestination).ToList());
}

/// <summary>
/// <c>POST mta/results</c> with malformed results (status 400): Copernica's error body, its message extended with the
/// malformed lines and the summary of the results that were processed all the same.
/// </summary>
internal sealed record MtaRejectedAnswer(MtaRejection Error)
{
    public static MtaRejectedAnswer Of(IReadOnlyList<MtaLineError> errors, int malformed, int all, int good, MtaSummaryAnswer summary) => new(new MtaRejection(
        $"{malformed} of {all} results are malformed and were not stored; the other {good} were processed (recorded {summary.Recorded}, duplicates {summary.Duplicates}, unknown message id {summary.Unknown.Count})",
        errors, summary.Recorded, summary.Duplicates, summary.Unknown));
}

internal sealed record MtaRejection(string Message, IReadOnlyList<MtaLineError> Errors, int Recorded, int Duplicates, IReadOnlyList<int> Unknown);

/// <summary>One malformed result: its line (or item) number and what is wrong with it.</summary>
internal sealed record MtaLineError(int Line, string Message);

/// <summary><c>POST mta/dsn</c>: the bounce's message id and the summary of its recipients' results.</summary>
internal sealed record DsnAnswer(string Message, int Recorded, int Duplicates, IReadOnlyList<int> Unknown)
{
    public static DsnAnswer Of(string messageId, MtaSummaryAnswer summary) => new(messageId, summary.Recorded, summary.Duplicates, summary.Unknown);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(MtaSummaryAnswer))]
[JsonSerializable(typeof(MtaRejectedAnswer))]
[JsonSerializable(typeof(DsnAnswer))]
internal sealed partial class MtaResultsJsonContext : JsonSerializerContext;
