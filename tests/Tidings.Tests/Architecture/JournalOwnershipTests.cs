using System.Text;
using System.Text.RegularExpressions;

namespace Tidings.Tests.Architecture;

/// <summary>
/// The journal folder owns the journal: no other source file of the server holds SQL on the tables <c>journal</c>,
/// <c>journal_intake</c> or <c>consumer_cursors</c> (the migrations, which create them, excepted). A consumer that needs
/// a new query asks the journal's store for it, so a change to how the journal is appended or read stays in one folder.
/// </summary>
public sealed partial class JournalOwnershipTests
{
    [Fact]
    public void No_source_file_outside_the_journal_folder_has_SQL_on_the_journal_tables()
    {
        var server = Path.Combine(RepositoryRoot(), "src", "Tidings");
        var owned = new[] { Path.Combine(server, "Journal"), Path.Combine(server, "Storage", "Migrations") };
        var files = Directory.EnumerateFiles(server, "*.cs", SearchOption.AllDirectories)
            .Where(f => !owned.Any(o => f.StartsWith(o + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        files.Count.ShouldBeGreaterThan(50, "the server's source files should be found");

        var offences = files
            .SelectMany(f => JournalSqlIn(File.ReadAllText(f)).Select(sql => $"{Path.GetRelativePath(server, f)}: {sql}"))
            .ToList();

        offences.ShouldBeEmpty("journal SQL outside src/Tidings/Journal (move it into a method of the journal's store):\n" + string.Join("\n", offences));
    }

    [Fact]
    public void The_check_finds_journal_SQL_in_literals_and_ignores_comments_and_names()
    {
        JournalSqlIn("""var x = "SELECT seq FROM journal WHERE seq > @p";""").ShouldNotBeEmpty();
        JournalSqlIn("""c.ExecuteAsync($"DELETE FROM journal WHERE {where}");""").ShouldNotBeEmpty();
        JournalSqlIn("var x = \"UPDATE consumer_cursors SET seq = @seq\";").ShouldNotBeEmpty();
        JournalSqlIn("var x = @\"INSERT INTO journal_intake (id) VALUES (1)\";").ShouldNotBeEmpty();
        JournalSqlIn("var x = \"SELECT d.id FROM webhook_deliveries d LEFT JOIN journal j ON j.seq = d.journal_seq\";").ShouldNotBeEmpty();
        JournalSqlIn("var x = \"\"\"\n    SELECT MAX(seq) FROM journal\n    \"\"\";").ShouldNotBeEmpty();

        JournalSqlIn("// reads FROM journal in order\nvar journal = new JournalReader(storage);").ShouldBeEmpty();
        JournalSqlIn("/* SELECT * FROM journal */ var y = \"the journal's end\";").ShouldBeEmpty();
        JournalSqlIn("logger.LogWarning(\"events removed from journal retention\");").ShouldBeEmpty();
        JournalSqlIn("var url = \"http://example.com/journal\"; // FROM journal").ShouldBeEmpty();
    }

    /// <summary>SQL on a journal table in the string literals of C# source (comments and identifiers are not looked at).</summary>
    private static IEnumerable<string> JournalSqlIn(string source) =>
        Literals(source).SelectMany(l => JournalSql().Matches(l).Select(m => m.Value));

    [GeneratedRegex(@"\b(FROM|INTO|JOIN|UPDATE|TABLE|EXISTS)\s+(journal|journal_intake|consumer_cursors)\b")]
    private static partial Regex JournalSql();

    /// <summary>The text of every string literal (regular, verbatim, interpolated, raw), outside comments.</summary>
    private static List<string> Literals(string s)
    {
        var literals = new List<string>();
        var i = 0;
        while (i < s.Length)
        {
            if (s[i] == '/' && i + 1 < s.Length && s[i + 1] == '/')
            {
                while (i < s.Length && s[i] != '\n') i++;
            }
            else if (s[i] == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? s.Length : end + 2;
            }
            else if (s[i] == '\'')
            {
                // A character literal: skip it, so '"' does not open a string.
                i++;
                if (i < s.Length && s[i] == '\\') i++;
                i += 2;
            }
            else if (s[i] == '"')
            {
                var verbatim = i > 0 && (s[i - 1] == '@' || (i > 1 && s[i - 1] == '$' && s[i - 2] == '@'));
                var quotes = 0;
                while (i + quotes < s.Length && s[i + quotes] == '"') quotes++;
                if (quotes >= 3)
                {
                    var fence = new string('"', quotes);
                    var end = s.IndexOf(fence, i + quotes, StringComparison.Ordinal);
                    end = end < 0 ? s.Length : end;
                    literals.Add(s[(i + quotes)..end]);
                    i = Math.Min(s.Length, end + quotes);
                    continue;
                }

                var text = new StringBuilder();
                i++;
                while (i < s.Length)
                {
                    if (!verbatim && s[i] == '\\' && i + 1 < s.Length) { text.Append(s[i + 1]); i += 2; continue; }
                    if (s[i] == '"')
                    {
                        if (verbatim && i + 1 < s.Length && s[i + 1] == '"') { text.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }

                    text.Append(s[i++]);
                }

                literals.Add(text.ToString());
            }
            else
            {
                i++;
            }
        }

        return literals;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tidings.slnx")) && Directory.Exists(Path.Combine(dir.FullName, "src", "Tidings"))) return dir.FullName;
        }

        throw new DirectoryNotFoundException("The repository (Tidings.slnx with src/Tidings) was not found above " + AppContext.BaseDirectory);
    }
}
