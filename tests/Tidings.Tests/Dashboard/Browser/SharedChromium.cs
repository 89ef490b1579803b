using Microsoft.Playwright;
using Tidings.Tests.Infrastructure;

namespace Tidings.Tests.Dashboard.Browser;

/// <summary>
/// One headless Debian chromium for all browser tests (a cold launch costs seconds), launched on first use so that a
/// run without browser tests never starts it; each test gets a fresh context (its own cookies). Playwright's own
/// browser downloads are never used: without Debian's <c>chromium</c> a test skips on a developer machine and fails
/// when <c>CI=true</c>.
/// </summary>
public sealed class SharedChromium : IAsyncDisposable
{
    /// <summary>Where Debian's package puts the binary; the <c>/usr/bin</c> wrapper also works but prints a shell error.</summary>
    private static readonly string[] Executables = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"];

    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly Lazy<Task<(IPlaywright Playwright, IBrowser Browser)>> _launch;

    public SharedChromium() => _launch = new(() => LaunchAsync(Executables.First(File.Exists)));

    /// <summary>A new context (no cookies, a fixed viewport) in the shared browser; the caller disposes it.</summary>
    public async Task<IBrowserContext> NewContextAsync(Uri baseAddress)
    {
        if (!Executables.Any(File.Exists))
        {
            MissingDependency.Report("run the dashboard's browser tests", "chromium is not installed (Debian package chromium)");
        }

        var (_, browser) = await _launch.Value;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Locale = "en-GB",
        });
        // The machine is shared with builds and benchmarks: generous, but well under the test's own timeout.
        context.SetDefaultTimeout(20_000);
        Assertions.SetDefaultExpectTimeout(20_000); // Expect(...) has its own default (5 s), which a busy machine passed
        return context;
    }

    private static async Task<(IPlaywright, IBrowser)> LaunchAsync(string executable)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = Arguments,
        });
        return (playwright, browser);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_launch.IsValueCreated || !_launch.Value.IsCompletedSuccessfully) return;
        var (playwright, browser) = await _launch.Value;
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
