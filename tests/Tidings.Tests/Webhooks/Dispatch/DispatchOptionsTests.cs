using System.ComponentModel.DataAnnotations;
using Tidings.Webhooks.Dispatch;

namespace Tidings.Tests.Webhooks.Dispatch;

public sealed class DispatchOptionsTests
{
    private static List<ValidationResult> Problems(DispatchOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        results.AddRange(options.Validate(new ValidationContext(options)));
        return results;
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        Problems(new DispatchOptions()).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("-00:00:00.001")]
    [InlineData("00:00:01.001")]
    public void A_ledger_linger_outside_zero_to_one_second_is_refused(string linger)
    {
        Problems(new DispatchOptions { LedgerLinger = TimeSpan.Parse(linger, System.Globalization.CultureInfo.InvariantCulture) })
            .ShouldContain(r => r.MemberNames.Contains(nameof(DispatchOptions.LedgerLinger)));
    }

    [Fact]
    public void A_ledger_linger_of_zero_writes_at_once_and_is_allowed()
    {
        Problems(new DispatchOptions { LedgerLinger = TimeSpan.Zero }).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("3651.00:00:00")]
    public void A_disabled_hold_outside_zero_to_ten_years_is_refused(string hold)
    {
        Problems(new DispatchOptions { DisabledHold = TimeSpan.Parse(hold, System.Globalization.CultureInfo.InvariantCulture) })
            .ShouldContain(r => r.MemberNames.Contains(nameof(DispatchOptions.DisabledHold)));
    }

    [Fact]
    public void A_disabled_hold_of_zero_lets_go_at_once_and_is_allowed()
    {
        Problems(new DispatchOptions { DisabledHold = TimeSpan.Zero }).ShouldBeEmpty();
    }
}
