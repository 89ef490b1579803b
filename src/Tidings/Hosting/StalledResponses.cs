using Microsoft.Extensions.Options;

namespace Tidings.Hosting;

/// <summary>
/// The bound on a streamed response whose client stops reading: <see cref="Watch"/> starts a clock that each
/// <see cref="ResponseWatch.Progress"/> (a completed flush) restarts; when it runs out
/// (<see cref="ConnectionLimitsOptions.ResponseWriteTimeout"/>) the connection is aborted, which also ends a write that
/// is blocked on the full socket, whatever writer it came from. Kestrel's minimum response rate alone would allow a
/// large buffered write minutes.
/// </summary>
internal sealed partial class StalledResponses(IOptions<ConnectionLimitsOptions> options, TimeProvider time, ILogger<StalledResponses> logger)
{
    public TimeSpan Timeout => options.Value.ResponseWriteTimeout;

    internal TimeProvider Time => time;

    /// <summary>Starts watching a response; <paramref name="what"/> names it in the log entry when it is cut off.</summary>
    public ResponseWatch Watch(HttpContext http, string what) => new(this, http, what);

    internal void CutOff(HttpContext http, string what)
    {
        LogCutOff(what, http.Connection.Id, Timeout);
        http.Abort();
    }

    [LoggerMessage(EventId = 19450, Level = LogLevel.Warning,
        Message = "{What} cut off: the client took nothing of it for {Timeout} (connection {ConnectionId})")]
    private partial void LogCutOff(string what, string connectionId, TimeSpan timeout);

    /// <summary>One watched response. Dispose it when the response ends.</summary>
    internal sealed class ResponseWatch : IDisposable
    {
        private readonly CancellationTokenSource _deadline;
        private readonly CancellationTokenRegistration _registration;
        private readonly TimeSpan _timeout;

        internal ResponseWatch(StalledResponses owner, HttpContext http, string what)
        {
            _timeout = owner.Timeout;
            _deadline = new CancellationTokenSource(_timeout, owner.Time);
            _registration = _deadline.Token.Register(() => owner.CutOff(http, what));
        }

        /// <summary>Whether the response was cut off.</summary>
        public bool CutOff => _deadline.IsCancellationRequested;

        /// <summary>The client took what was sent: the clock starts again.</summary>
        public void Progress()
        {
            if (!_deadline.IsCancellationRequested) _deadline.CancelAfter(_timeout);
        }

        public void Dispose()
        {
            _registration.Dispose();
            _deadline.Dispose();
        }
    }
}
