using Tidings.LogFiles;

namespace Tidings.Tests.LogFiles;

public sealed class LogFileFormatTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("bell\u0007 and nul\u0000", "bell and nul")]
    [InlineData("emoji \U0001F600 stays", "emoji \U0001F600 stays")]
    [InlineData("tab\tnewline\n", "tab\tnewline\n")]
    public void Xml_drops_only_the_characters_XML_cannot_carry(string text, string expected) =>
        XmlLogFileWriter.Clean(text).ShouldBe(expected);

    [Fact]
    public void Xml_drops_a_lone_surrogate() => XmlLogFileWriter.Clean("lone " + (char)0xD800 + " surrogate").ShouldBe("lone  surrogate");

    [Theory]
    [InlineData("cdm-click.2026-03-24.log", "cdm-click", 2026, 3, 24)]
    [InlineData("feedback-loop-errors.2025-12-31.log", "feedback-loop-errors", 2025, 12, 31)]
    public void A_log_file_name_is_type_dot_date_dot_log(string name, string type, int year, int month, int day)
    {
        var parsed = LogFileName.Parse(name);
        parsed.Type.Name.ShouldBe(type);
        parsed.Date.ShouldBe(new DateOnly(year, month, day));
        parsed.ToString().ShouldBe(name);
    }

    [Fact]
    public void Every_log_file_type_has_Copernicas_columns_in_order()
    {
        string[] Columns(LogFileType t) => t.Columns.Select(c => c.Name).ToArray();
        Columns(LogFileTypes.Delivery).ShouldBe(["id", "time", "attempts", "email", "tags", "senderdomain", "profile", "subprofile", "template"]);
        Columns(LogFileTypes.Retry).ShouldBe(["id", "time", "attempt", "email", "tags", "senderdomain", "profile", "subprofile", "template"]);
        Columns(LogFileTypes.Error).ShouldBe(["id", "time", "type", "status", "description", "code", "email", "tags", "senderdomain", "profile", "subprofile", "template"]);
        Columns(LogFileTypes.Unsubscribe).ShouldBe(["id", "time", "email", "tags", "senderdomain", "profile", "subprofile", "template"]);
        Columns(LogFileTypes.FeedbackLoopErrors).ShouldBe(["time", "response", "recipient", "header"]);
    }
}
