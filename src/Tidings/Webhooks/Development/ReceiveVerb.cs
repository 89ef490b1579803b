using System.Globalization;
using System.Runtime.InteropServices;
using Tidings.Hosting;
using Tidings.Webhooks.Outbound;

namespace Tidings.Webhooks.Development;

/// <summary>
/// <c>receive &lt;port&gt;</c>: runs a <see cref="LocalReceiver"/> on 127.0.0.1 until Ctrl+C or SIGTERM, with the server's
/// configuration and storage (so it runs beside the server, as the other commands do).
/// </summary>
internal sealed class ReceiveVerb : IAdminVerbs
{
    public IReadOnlyCollection<string> Verbs { get; } = ["receive"];

    public IReadOnlyList<string> Usage { get; } = ["receive <port>   (development: a webhook receiver on 127.0.0.1:<port> that prints each call)"];

    public async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        if (args.Length != 2 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            Console.Error.WriteLine("Usage: " + Usage[0]);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        LocalReceiver receiver;
        try
        {
            receiver = await LocalReceiver.StartAsync(services, port, Console.Out, stop.Token);
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"Cannot listen on 127.0.0.1:{port}: {ex.Message}");
            return 1;
        }

        await using (receiver)
        {
            Console.WriteLine($"Receiving webhooks on {receiver.Url} (Ctrl+C stops). Verification files of this server's webhooks that point here are served;");
            Console.WriteLine($"every POST is answered 200 and shown with its signatures checked. The server calls it with {WebhookDevelopmentOptions.AllowLoopbackSetting}=true.");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        Console.WriteLine("Receiver stopped.");
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // stop here, cleanly, instead of the runtime ending the process
            stop.Cancel();
        }
    }
}
