using Microsoft.Playwright;

namespace Telephony.Testing;

/// <summary>
/// Debian's /usr/bin/chromium driven by Playwright, headless (never a downloaded browser: <c>playwright install</c>
/// cannot reach its hosts here). The flags keep Chromium from calling Google's hosts, which this closed network
/// refuses. Disposing closes the browser and the Playwright driver (its node process).
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly IPlaywright _playwright;

    public IBrowser Browser { get; }

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    /// <summary>Starts the browser; fails the test with the fix when Chromium is not installed.</summary>
    public static async Task<HeadlessChromium> StartAsync()
    {
        if (!File.Exists(ExecutablePath)) Assert.Fail("Chromium is not installed: run ./hotline setup (or apt-get install chromium).");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath, Headless = true, Args = Flags,
            });
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A page in a fresh context (its own cookies).</summary>
    public async Task<IPage> NewPageAsync() => await (await Browser.NewContextAsync()).NewPageAsync();

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
