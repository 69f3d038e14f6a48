using System.ComponentModel.DataAnnotations;

namespace Collab.Hub.Telemetry;

/// <summary>
/// OpenTelemetry export. Both exporters are off by default: nothing leaves the process and no /metrics is served
/// until an operator asks for it.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Collab:Telemetry";

    /// <summary>Serve the Prometheus text format at <c>/metrics</c> (keep it off the public network).</summary>
    public bool Prometheus { get; set; }

    /// <summary>
    /// When set, <c>/metrics</c> answers only requests that arrived on this port (add it to <c>Urls</c>, e.g.
    /// <c>http://+:8080;http://+:9464</c>), so a proxy or Ingress that forwards the public port never exposes it.
    /// </summary>
    [Range(0, 65535)]
    public int PrometheusPort { get; set; }

    /// <summary>
    /// OTLP collector endpoint for metrics and traces, e.g. <c>http://otel-collector:4317</c>. Empty: the standard
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> environment variable is used when set, else OTLP is off.
    /// </summary>
    public string OtlpEndpoint { get; set; } = string.Empty;

    /// <summary><c>grpc</c> (port 4317) or <c>http/protobuf</c> (port 4318).</summary>
    [RegularExpression("^(grpc|http/protobuf)$")]
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>How often metrics are pushed over OTLP.</summary>
    [Range(1_000, 600_000)]
    public int OtlpExportIntervalMilliseconds { get; set; } = 15_000;

    /// <summary>How often the Redis round trip is measured (a PING) for <c>collab.redis.roundtrip</c>.</summary>
    [Range(500, 300_000)]
    public int RedisProbeIntervalMilliseconds { get; set; } = 5_000;
}
