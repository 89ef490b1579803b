using Tidings.Accounts;
using Tidings.Audit;
using Tidings.Backup;
using Tidings.ApiDocs;
using Tidings.Consumption;
using Tidings.Dashboard;
using Tidings.MtaResults;
using Tidings.Events;
using Tidings.Health;
using Tidings.Hosting;
using Tidings.Journal;
using Tidings.LogFiles;
using Tidings.LogRedaction;
using Tidings.Mailings;
using Tidings.Profiles;
using Tidings.RateLimiting;
using Tidings.Rest;
using Tidings.SecretProtection;
using Tidings.Soap;
using Tidings.Statistics;
using Tidings.Storage;
using Tidings.Telemetry;
using Tidings.Webhooks.Configuration;
using Tidings.Webhooks.Outbound;
using Tidings.Webhooks.Development;
using Tidings.Webhooks.Dispatch;
using Tidings.Webhooks.Secrets;
using Tidings.Webhooks.Signing;
using Tidings.Tracking;
using Tidings.Users;

var request = AdminCommandLine.Parse(args);
if (request == CommandLineRequest.Version)
{
    Console.WriteLine(AppVersion.Text);
    return 0;
}

if (ServerStart.CreateBuilder(args) is not { } builder) return ServerStart.Failed;
builder.AddLogRedaction();
builder.AddHosting();
builder.AddTelemetry();
builder.AddStorage();
builder.AddJournal();
builder.AddSecretProtection();
builder.AddRest();
builder.AddAudit();
builder.AddAccounts();
builder.AddUsers();
builder.AddConsumption();
builder.AddApiRateLimit();
builder.AddProfiles();
builder.AddEvents();
builder.AddMailings();
builder.AddWebhookSigning();
builder.AddWebhookConfiguration();
builder.AddWebhookSecrets();
builder.AddWebhookOutbound();
builder.AddWebhookDevelopment();
builder.AddWebhookDispatch();
builder.AddMtaResults();
builder.AddLogFiles();
builder.AddStatistics();
builder.AddTracking();
builder.AddSoap();
builder.AddApiDocs();
builder.AddHealth();
builder.AddDashboard();
builder.AddBackup();
builder.AddShutdownOrder(); // last: see Tidings.Hosting.RequestsStopped

var app = builder.Build();
if (request == CommandLineRequest.Usage) return AdminCommandLine.PrintUsage(app.Services);

// Nothing may be created (database, master key, first token) before the configuration is known to be good.
if (!ServerStart.CheckConfiguration(app)) return ServerStart.Failed;
if (request == CommandLineRequest.Verb)
{
    app.Services.GetRequiredService<AuditActors>().RunningCommandLine();
    return await AdminCommandLine.RunAsync(app, args);
}

if (!ServerStart.LockDataFolder(app)) return ServerStart.Failed;

app.UseTrustedProxies();
app.MapTelemetry();
app.UseRest();
app.MapAccounts();
app.MapAudit();
app.MapConsumption();
app.MapProfiles();
app.MapMailings();
app.MapWebhookSigning();
app.MapWebhookConfiguration();
app.MapWebhookSecrets();
app.MapWebhookDispatch();
app.MapMtaResults();
app.MapLogFiles();
app.MapStatistics();
app.MapTracking();
app.MapSoap();
app.MapApiDocs();
app.MapHealth();
app.MapDashboard();
return await ServerStart.RunAsync(app);

public partial class Program;
