namespace Tidings.Soap;

/// <summary>An error answered as a SOAP 1.1 Fault: <c>soap:Client</c> when the request is at fault, else <c>soap:Server</c>.</summary>
internal sealed class SoapFaultException(string message, bool client = true) : Exception(message)
{
    public bool IsClient { get; } = client;
}
