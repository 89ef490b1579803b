using System.Text.Json.Serialization;

namespace Tidings.Health;

/// <summary><c>GET /healthz</c>: the process answers.</summary>
internal sealed record LivenessAnswer(string Status);

/// <summary><c>GET /readyz</c>: <c>ready</c> or <c>not_ready</c>, which node answers, when the checks ran, and each check's state.</summary>
internal sealed record ReadinessAnswer(string Status, string Node, DateTimeOffset CheckedAt, IReadOnlyList<CheckAnswer> Checks)
{
    public const string Ready = "ready";
    public const string NotReady = "not_ready";

    [JsonIgnore]
    public bool IsReady => Status == Ready;
}

/// <summary>One check: its name, <see cref="CheckStates"/>, how long it took, and a short reason.</summary>
internal sealed record CheckAnswer(string Name, string State, double DurationMs, string Detail);

/// <summary>The states of a check; only <see cref="Failing"/> makes the server not ready.</summary>
internal static class CheckStates
{
    public const string Ok = "ok";
    public const string Failing = "failing";
    /// <summary>Turned off by configuration (the webhook engine with <c>Webhooks:Dispatch:Enabled=false</c>).</summary>
    public const string Disabled = "disabled";
}

/// <summary>Source-generated contracts of the health answers; their keys are snake_case like the API's.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LivenessAnswer))]
[JsonSerializable(typeof(ReadinessAnswer))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
