namespace Tidings.Dashboard;

/// <summary>What the webhook and domain configuration pages change (event ids 16100–16199).</summary>
internal static partial class DashboardLog
{
    [LoggerMessage(EventId = 16100, Level = LogLevel.Information, Message = "Dashboard: webhook {WebhookId} of account {AccountId} created by user {UserId}")]
    public static partial void WebhookCreated(ILogger logger, long webhookId, long accountId, long userId);

    [LoggerMessage(EventId = 16101, Level = LogLevel.Information, Message = "Dashboard: webhook {WebhookId} of account {AccountId} changed by user {UserId}")]
    public static partial void WebhookChanged(ILogger logger, long webhookId, long accountId, long userId);

    [LoggerMessage(EventId = 16102, Level = LogLevel.Information, Message = "Dashboard: webhook {WebhookId} of account {AccountId} {State} by user {UserId}")]
    public static partial void WebhookSwitched(ILogger logger, long webhookId, long accountId, string state, long userId);

    [LoggerMessage(EventId = 16103, Level = LogLevel.Information, Message = "Dashboard: webhook {WebhookId} of account {AccountId} deleted by user {UserId}")]
    public static partial void WebhookDeleted(ILogger logger, long webhookId, long accountId, long userId);

    [LoggerMessage(EventId = 16104, Level = LogLevel.Information, Message = "Dashboard: domain {DomainId} of account {AccountId} {Change} by user {UserId}")]
    public static partial void DomainChanged(ILogger logger, long domainId, long accountId, string change, long userId);

    [LoggerMessage(EventId = 16105, Level = LogLevel.Information, Message = "Dashboard: a new {Kind} secret for webhook {WebhookId} of account {AccountId} by user {UserId}")]
    public static partial void SecretRotated(ILogger logger, string kind, long webhookId, long accountId, long userId);
}
