using Microsoft.Extensions.DependencyInjection;
using Tidings.LogFiles;
using Tidings.Rejections;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.LogFiles;

/// <summary>
/// <see cref="LogFileService"/> called directly, as every front end calls it: names, formats and download parameters
/// are checked in the service, with the texts the REST API answers with.
/// </summary>
public sealed class LogFileServiceTests(TidingsApp app) : IClassFixture<TidingsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LogFileService Service => app.Services.GetRequiredService<LogFileService>();

    [Theory]
    [InlineData("cdm-click.2026-3-24.log", "csv", "", "", "Invalid logfile name")]
    [InlineData("cdm-unknown.2026-03-24.log", "csv", "", "", "Invalid logfile name")]
    [InlineData("cdm-click.2026-02-30.log", "csv", "", "", "Invalid logfile name")]
    [InlineData("cdm-click.2026-03-24.log", "txt", "", "", "Invalid method")]
    [InlineData("cdm-click.2026-03-24.log", "CSV", "", "", "Invalid method")]
    [InlineData("cdm-click.2026-03-24.log", "csv", "yesterday", "", "Invalid from parameter")]
    [InlineData("cdm-click.2026-03-24.log", "csv", "", "-1", "Invalid after parameter")]
    public async Task A_download_with_a_bad_name_format_or_parameter_is_rejected(string name, string format, string from, string after, string message)
    {
        var client = await app.NewAccountAsync();

        var rejected = await Should.ThrowAsync<RequestRejectedException>(() => Service.PlanDownloadAsync(client.AccountId, name, format, from, after, "", Ct));

        rejected.Message.ShouldBe(message);
    }

    [Fact]
    public async Task A_header_row_is_a_csv_choice_and_an_unreadable_choice_is_rejected()
    {
        var client = await app.NewAccountAsync();
        const string name = "cdm-click.2026-03-24.log";

        (await Service.PlanDownloadAsync(client.AccountId, name, "csv", "", "", "yes", Ct)).CsvHeader.ShouldBeTrue();
        (await Service.PlanDownloadAsync(client.AccountId, name, "csv", "", "", "", Ct)).CsvHeader.ShouldBeFalse(); // the default setting
        (await Service.PlanDownloadAsync(client.AccountId, name, "json", "", "", "true", Ct)).CsvHeader.ShouldBeFalse();
        (await Should.ThrowAsync<RequestRejectedException>(() => Service.PlanDownloadAsync(client.AccountId, name, "csv", "", "", "perhaps", Ct)))
            .Message.ShouldBe("Invalid header parameter");
    }

    [Fact]
    public async Task A_download_resumes_after_the_given_seq_and_from_the_given_time()
    {
        var client = await app.NewAccountAsync();

        var download = await Service.PlanDownloadAsync(client.AccountId, "cdm-click.2026-03-24.log", "json", "1774350000.9999", "42", "", Ct);

        download.Plan.AfterSeq.ShouldBe(42);
        // from is exclusive: the first millisecond counted follows the given time, read to the millisecond (rounded down).
        download.Plan.StartMs.ShouldBe(1_774_350_001_000);
        download.LastSeq.ShouldBe(42); // nothing after it: the next resume starts at the same place
    }

    [Fact]
    public async Task Listing_by_an_unreadable_date_is_rejected_and_an_unknown_type_has_no_files()
    {
        var client = await app.NewAccountAsync();

        (await Should.ThrowAsync<RequestRejectedException>(() => Service.ListAsync(client.AccountId, "2026-13-01", "", Ct))).Message.ShouldBe("Invalid date");
        (await Service.ListAsync(client.AccountId, "", "cdm-unknown", Ct)).ShouldBeEmpty();
        (await Service.ListAsync(client.AccountId, "", "", Ct)).ShouldBeEmpty();
    }
}
