namespace Tidings.Storage;

/// <summary>The few places where SQLite and PostgreSQL SQL differ.</summary>
internal abstract class SqlDialect
{
    public abstract StorageProvider Provider { get; }

    /// <summary>Column type for an auto-incremented 64-bit primary key.</summary>
    public abstract string IdentityPrimaryKey { get; }

    public abstract string IntegerType { get; }

    public abstract string FloatType { get; }

    /// <summary>Column type for text that compares case-insensitively, as Copernica's (MySQL) storage does.</summary>
    public abstract string CaseInsensitiveTextType { get; }

    /// <summary>Case-insensitive comparison of a text column with a parameter, using an index where possible.</summary>
    public abstract string TextCompare(string column, string op, string parameter);

    /// <summary>Case-insensitive SQL LIKE.</summary>
    public abstract string TextLike(string column, string parameter, bool negate);

    /// <summary>
    /// Case-sensitive <c>=</c> or <c>&lt;&gt;</c> of a text column with a parameter. Equality keeps the case-insensitive
    /// test of <see cref="TextCompare"/> beside the exact one, so a field's (case-insensitive) index still finds the rows.
    /// </summary>
    public abstract string TextEqualsCaseSensitive(string column, bool negate, string parameter);

    /// <summary>Case-sensitive LIKE; the parameter holds <see cref="CaseSensitiveLikePattern"/> of the LIKE pattern.</summary>
    public abstract string TextLikeCaseSensitive(string column, string parameter, bool negate);

    /// <summary>What <see cref="TextLikeCaseSensitive"/> takes for a LIKE pattern (<c>%</c> and <c>_</c>).</summary>
    public virtual string CaseSensitiveLikePattern(string likePattern) => likePattern;

    /// <summary>An expression that turns any column into text (for LIKE on numbers).</summary>
    public abstract string AsText(string column);

    /// <summary>What ORDER BY and a field index use for a text column, so sorting ignores case like comparing does.</summary>
    public abstract string TextKey(string column);

    /// <summary>
    /// Whether a write failed on a unique index. On PostgreSQL, two concurrent transactions can both pass a "name not
    /// taken" check; the second then fails on the index and must get the same error the check gives.
    /// </summary>
    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>
    /// Tells the planner which index a query over a large table must use, where the planner cannot know it from
    /// statistics (SQLite: <c>INDEXED BY</c>; PostgreSQL chooses well by itself: empty).
    /// </summary>
    public abstract string UseIndex(string index);

    /// <summary>
    /// "column is one of the list in parameter": Dapper expands a list into <c>IN (@p1, @p2, …)</c> for SQLite but hands
    /// Npgsql the whole list as one array parameter, which needs <c>= ANY(@p)</c>.
    /// </summary>
    public abstract string InList(string column, string parameter);

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

internal sealed class SqliteDialect : SqlDialect
{
    public override StorageProvider Provider => StorageProvider.Sqlite;
    public override string IdentityPrimaryKey => "INTEGER PRIMARY KEY AUTOINCREMENT";
    public override string IntegerType => "INTEGER";
    public override string FloatType => "REAL";
    public override string CaseInsensitiveTextType => "TEXT COLLATE NOCASE";
    // Explicit NOCASE: not every compared column is a field column declared NOCASE (the secret behind `code` is not),
    // and PostgreSQL's lower() compares those case-insensitively too. Field indexes are NOCASE, so they still apply.
    public override string TextCompare(string column, string op, string parameter) => $"{column} {op} {parameter} COLLATE NOCASE";
    public override string TextLike(string column, string parameter, bool negate) => $"{column} {(negate ? "NOT LIKE" : "LIKE")} {parameter}";
    public override string TextEqualsCaseSensitive(string column, bool negate, string parameter) => negate
        ? $"{column} <> {parameter} COLLATE BINARY"
        : $"({column} = {parameter} COLLATE NOCASE AND {column} = {parameter} COLLATE BINARY)";
    // SQLite's LIKE ignores ASCII case whatever the collation; GLOB is its case-sensitive LIKE, with * and ? for % and _.
    public override string TextLikeCaseSensitive(string column, string parameter, bool negate) => $"{column} {(negate ? "NOT GLOB" : "GLOB")} {parameter}";
    public override string CaseSensitiveLikePattern(string likePattern)
    {
        var glob = new System.Text.StringBuilder(likePattern.Length + 8);
        foreach (var ch in likePattern)
        {
            glob.Append(ch switch
            {
                '%' => "*",
                '_' => "?",
                '*' => "[*]",
                '?' => "[?]",
                '[' => "[[]",
                _ => ch.ToString(),
            });
        }

        return glob.ToString();
    }

    public override string AsText(string column) => $"CAST({column} AS TEXT)";
    public override string TextKey(string column) => column;
    public override bool IsUniqueViolation(Exception exception) => exception is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 };
    public override string UseIndex(string index) => "INDEXED BY " + index;
    public override string InList(string column, string parameter) => $"{column} IN {parameter}";
}

internal sealed class PostgresDialect : SqlDialect
{
    // Held until commit, so journal rows commit in the order their seq numbers were drawn.
    public override StorageProvider Provider => StorageProvider.Postgres;
    public override string IdentityPrimaryKey => "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
    public override string IntegerType => "BIGINT";
    public override string FloatType => "DOUBLE PRECISION";
    public override string CaseInsensitiveTextType => "TEXT";
    public override string TextCompare(string column, string op, string parameter) => $"lower({column}) {op} lower({parameter})";
    public override string TextLike(string column, string parameter, bool negate) => $"{column} {(negate ? "NOT ILIKE" : "ILIKE")} {parameter}";
    public override string TextEqualsCaseSensitive(string column, bool negate, string parameter) => negate
        ? $"{column} <> {parameter}"
        : $"(lower({column}) = lower({parameter}) AND {column} = {parameter})";
    public override string TextLikeCaseSensitive(string column, string parameter, bool negate) => $"{column} {(negate ? "NOT LIKE" : "LIKE")} {parameter}";
    public override string AsText(string column) => $"CAST({column} AS TEXT)";
    // Text columns have no case-insensitive collation here, so sort and index on lower(): the same expression
    // TextCompare uses, which lets PostgreSQL use a field's index for fields[] equality and orderby.
    public override string TextKey(string column) => $"lower({column})";
    public override bool IsUniqueViolation(Exception exception) => exception is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation };
    public override string UseIndex(string index) => "";
    public override string InList(string column, string parameter) => $"{column} = ANY({parameter})";
}
