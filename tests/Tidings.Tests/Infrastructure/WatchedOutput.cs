using System.Diagnostics;
using System.Text;

namespace Tidings.Tests.Infrastructure;

/// <summary>
/// Text that arrives over time (a process's output, an in-process writer) and a bounded wait for something to appear
/// in it: no fixed sleeps. A wait that times out says what it waited for and shows the text so far.
/// </summary>
public sealed class WatchedOutput
{
    private readonly StringBuilder _text = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Text
    {
        get
        {
            lock (_text) return _text.ToString();
        }
    }

    /// <summary>A writer into this output (for code that writes to a <see cref="TextWriter"/>).</summary>
    public TextWriter Writer => new WatchedWriter(this);

    public void Append(string text)
    {
        TaskCompletionSource changed;
        lock (_text)
        {
            _text.Append(text);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    public void AppendLine(string? line) => Append((line ?? "") + "\n");

    /// <summary>Waits until <paramref name="condition"/> holds for the whole text; returns that text.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            string text;
            Task changed;
            lock (_text)
            {
                text = _text.ToString();
                changed = _changed.Task;
            }

            if (condition(text)) return text;
            var left = limit - clock.Elapsed;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {what}. The output so far:\n{text}");
            await Task.WhenAny(changed, Task.Delay(left, TestContext.Current.CancellationToken));
        }
    }

    /// <summary>Waits until the text contains <paramref name="fragment"/>.</summary>
    public Task<string> WaitForAsync(string fragment, TimeSpan? timeout = null) =>
        WaitForAsync(t => t.Contains(fragment, StringComparison.Ordinal), $"\"{fragment}\"", timeout);

    private sealed class WatchedWriter(WatchedOutput output) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => output.Append(value.ToString());

        public override void Write(string? value)
        {
            if (value is not null) output.Append(value);
        }
    }
}
