using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Collab.Hub.Health;

/// <summary>
/// Writes a health report as JSON so an operator (or a load balancer log) sees why a node is not ready,
/// e.g. <c>{"status":"Unhealthy","checks":[{"name":"redis","status":"Unhealthy","description":"..."}]}</c>.
/// </summary>
internal static class HealthResponseWriter
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var body = new HealthBody(
            report.Status.ToString(),
            report.TotalDuration.TotalMilliseconds,
            [.. report.Entries.Select(entry => new HealthCheckBody(
                entry.Key,
                entry.Value.Status.ToString(),
                entry.Value.Description ?? entry.Value.Exception?.Message,
                entry.Value.Duration.TotalMilliseconds))]);
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, s_json, context.RequestAborted);
    }

    private sealed record HealthBody(string Status, double DurationMs, IReadOnlyList<HealthCheckBody> Checks);

    private sealed record HealthCheckBody(string Name, string Status, string? Description, double DurationMs);
}
