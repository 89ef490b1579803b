namespace Tidings.Hosting;

/// <summary>
/// Where messages for the operator go (the first start's token, …) and whether that is a terminal: under a service
/// manager or in a container standard output goes to a journal or a log, where a secret must not be written.
/// </summary>
internal sealed class OperatorConsole
{
    public bool IsTerminal { get; init; } = !Console.IsOutputRedirected;

    public TextWriter Out { get; init; } = Console.Out;
}
