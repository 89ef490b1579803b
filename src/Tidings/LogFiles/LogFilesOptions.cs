using System.ComponentModel.DataAnnotations;

namespace Tidings.LogFiles;

/// <summary>Copernica-style log files (views of the event journal) and their retention. Bound from <c>LogFiles</c>.</summary>
internal sealed class LogFilesOptions
{
    public const string Section = "LogFiles";

    /// <summary>
    /// Days that mailing events (and so log files) are kept; older journal rows are deleted by the retention sweep,
    /// but never before every journal consumer has passed them. 0 keeps everything.
    /// </summary>
    [Range(0, 36_500)]
    public int RetentionDays { get; set; } = 30;

    /// <summary>Time between two retention sweeps (log files and profile changes alike).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// When the first retention sweep runs after start. Later ones follow every <see cref="RetentionSweepInterval"/>.
    /// After an upgrade that deletes much at its first sweep, a longer delay moves that sweep to a quieter hour.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan RetentionFirstSweepDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Journal rows looked at (and at most deleted) per retention transaction. Opens and clicks wait for the store's
    /// writer while one runs, so it is kept to a few milliseconds.
    /// </summary>
    [Range(100, 1_000_000)]
    public int RetentionBatchSize { get; set; } = 200;

    /// <summary>
    /// After each retention window the sweep pauses for this many times as long as the window took, so other writers
    /// (the journal, webhooks) get the database in between: 3 gives retention at most about a quarter of it. 0: no pause.
    /// </summary>
    [Range(0.0, 100.0)]
    public double RetentionYieldFactor { get; set; } = 3.0;

    /// <summary>Whether a CSV download starts with a header row when the request has no <c>header</c> parameter.</summary>
    public bool CsvHeaderByDefault { get; set; }

    /// <summary>Rows written before the response is flushed to the client; bounds the memory a download uses.</summary>
    [Range(1, 100_000)]
    public int FlushEveryRows { get; set; } = 1000;

    /// <summary>Bytes buffered before the response is flushed, whatever the number of rows (large rows).</summary>
    [Range(4096, 16_777_216)]
    public int FlushEveryBytes { get; set; } = 65_536;

    /// <summary>
    /// Rows of one record type a download reads per database round trip; the read connection is given back before the
    /// rows are written, so a slow client holds none. Bounds the rows a download keeps in memory.
    /// </summary>
    [Range(1, 100_000)]
    public int ReadPageRows { get; set; } = 500;

    /// <summary>
    /// Largest kernel send buffer of a connection while it downloads a log file, in bytes; bounds what the server
    /// prepares for a client that does not read. 0: the operating system's (on Linux it grows up to 4 MiB).
    /// </summary>
    [Range(0, 67_108_864)]
    public int SendBufferBytes { get; set; } = 65_536;

    /// <summary>
    /// Downloads that may plan, read and format at the same moment; the others wait their turn, which each gives back
    /// while its rows travel to the client. Many downloads started at once then share the processor with normal
    /// requests instead of queueing ahead of them.
    /// </summary>
    [Range(1, 1024)]
    public int DownloadTurns { get; set; } = 2;
}
