using Tidings.Profiles;

namespace Tidings.Tests.Profiles;

/// <summary>The words a date field takes (now, today, tomorrow, yesterday) are read against the server's clock, in the API's zone.</summary>
public sealed class LooseDateTests
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    // 23:30 UTC on 31 December is already 00:30 on 1 January in Amsterdam.
    private static readonly DateTimeOffset Now = new(2024, 12, 31, 23, 30, 15, TimeSpan.Zero);

    [Theory]
    [InlineData("now", "2025-01-01 00:30:15")]
    [InlineData("today", "2025-01-01 00:00:00")]
    [InlineData(" Tomorrow ", "2025-01-02 00:00:00")]
    [InlineData("yesterday", "2024-12-31 00:00:00")]
    public void A_word_is_read_against_the_given_now_in_the_zone(string text, string expected)
    {
        LooseDate.Parse(text, Amsterdam, Now)!.Value.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture).ShouldBe(expected);
    }

    [Fact]
    public void A_date_does_not_depend_on_now()
    {
        LooseDate.Parse("2024-05-06", Amsterdam, Now).ShouldBe(new DateTime(2024, 5, 6));
    }
}
