using Tidings.Accounts;
using Tidings.ApiDocs;
using Tidings.Consumption;
using Tidings.Delivery;
using Tidings.Events;
using Tidings.LogFiles;
using Tidings.Mailings;
using Tidings.Profiles;
using Tidings.Rest;
using Tidings.SecretProtection;
using Tidings.Statistics;
using Tidings.Storage;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Delivery;
using Tidings.Webhooks.Development;
using Tidings.Webhooks.Dispatch;
using Tidings.Webhooks.Secrets;
using Tidings.Webhooks.Signing;
using Tidings.Tracking;

var builder = WebApplication.CreateBuilder(AdminCommandLine.ConfigurationArguments(args));
builder.AddStorage();
builder.AddSecretProtection();
builder.AddRest();
builder.AddAccounts();
builder.AddConsumption();
builder.AddProfiles();
builder.AddEvents();
builder.AddMailings();
builder.AddWebhookSigning();
builder.AddWebhookConfiguration();
builder.AddWebhookSecrets();
builder.AddWebhookDelivery();
builder.AddWebhookDevelopment();
builder.AddWebhookDispatch();
builder.AddDelivery();
builder.AddLogFiles();
builder.AddStatistics();
builder.AddTracking();
builder.AddApiDocs();

var app = builder.Build();
if (AdminCommandLine.IsAdminCommand(args))
{
    return await AdminCommandLine.RunAsync(app, args);
}

app.UseRest();
app.MapAccounts();
app.MapConsumption();
app.MapProfiles();
app.MapMailings();
app.MapWebhookSigning();
app.MapWebhookConfiguration();
app.MapWebhookSecrets();
app.MapWebhookDispatch();
app.MapDelivery();
app.MapLogFiles();
app.MapStatistics();
app.MapTracking();
app.MapApiDocs();
await app.RunAsync();
return 0;

public partial class Program;
