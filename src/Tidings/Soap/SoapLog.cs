namespace Tidings.Soap;

/// <summary>Log messages of the SOAP API (event ids 18000–18999).</summary>
internal static partial class SoapLog
{
    [LoggerMessage(EventId = 18000, Level = LogLevel.Error, Message = "SOAP call {Method} failed unexpectedly; answered with a soap:Server Fault")]
    public static partial void UnexpectedError(this ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 18001, Level = LogLevel.Debug, Message = "SOAP request refused: {Reason}")]
    public static partial void Refused(this ILogger logger, string reason);
}
