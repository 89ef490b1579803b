using System.Collections.Concurrent;
using System.Diagnostics;

namespace Tidings.Webhooks.Outbound;

/// <summary>
/// The cancellation that bounds one webhook call (connect, send, response headers and the body excerpt) to the request
/// timeout, and ends it early when the caller stops. The sources are reused: a call takes one, arms its timer and hands
/// it back, where HttpClient makes a linked source and a timer for every call — a cost paid at every delivery.
/// </summary>
internal sealed class CallTimeouts(TimeSpan timeout)
{
    // Enough for every call in flight at the engine's default concurrency; more are made (and dropped) as needed.
    private const int Kept = 1024;
    private readonly ConcurrentQueue<CancellationTokenSource> _free = new();

    public TimeSpan Timeout => timeout;

    /// <summary>Starts the clock of one call; dispose the lease when the call is over.</summary>
    public Lease Start(CancellationToken caller)
    {
        if (!_free.TryDequeue(out var source) || source.IsCancellationRequested) source = new CancellationTokenSource();
        source.CancelAfter(timeout);
        var registration = caller.CanBeCanceled ? caller.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), source) : default;
        return new Lease(this, source, registration, Stopwatch.GetTimestamp());
    }

    private void Return(CancellationTokenSource source, CancellationTokenRegistration registration, long started)
    {
        registration.Dispose();
        // Only a source whose timer is far from due goes back: a timer that fires while TryReset runs could otherwise
        // cancel the source after it was handed to the next call.
        if (Stopwatch.GetElapsedTime(started) < timeout / 2 && _free.Count < Kept && source.TryReset()) _free.Enqueue(source);
        else source.Dispose();
    }

    /// <summary>One call's cancellation.</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly CallTimeouts _owner;
        private readonly CancellationTokenSource _source;
        private readonly CancellationTokenRegistration _registration;
        private readonly long _started;

        internal Lease(CallTimeouts owner, CancellationTokenSource source, CancellationTokenRegistration registration, long started)
        {
            _owner = owner;
            _source = source;
            _registration = registration;
            _started = started;
        }

        public CancellationToken Token => _source.Token;

        public void Dispose() => _owner.Return(_source, _registration, _started);
    }
}
