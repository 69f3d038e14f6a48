using Collab.Conferencing;
using Collab.Conferencing.Audio;
using Collab.Hub.Startup;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Collab.Hub.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>The ASP.NET Core meters beside Collab's own: HTTP server, Kestrel, and SignalR's connections.</summary>
    private static readonly string[] s_frameworkMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections"];

    /// <summary>SignalR's server activity source: one span per hub method invocation.</summary>
    private const string SignalRActivitySource = "Microsoft.AspNetCore.SignalR.Server";

    /// <summary>
    /// OpenTelemetry metrics (Collab's meters, ASP.NET Core, SignalR connections, the .NET runtime, the Redis round
    /// trip) to Prometheus at <c>/metrics</c> when <c>Collab:Telemetry:Prometheus</c> is true, and metrics and traces
    /// (ASP.NET Core, SignalR hub invocations, Redis commands) over OTLP when an endpoint is configured. Off by default.
    /// </summary>
    public static IServiceCollection AddCollabTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var options = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var endpoint = string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] : options.OtlpEndpoint;
        var otlp = Uri.TryCreate(endpoint, UriKind.Absolute, out var otlpEndpoint) ? otlpEndpoint : null;
        var protocol = options.OtlpProtocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;

        services.AddSingleton(options.Prometheus
            ? new FeatureStatus("Prometheus", true, options.PrometheusPort > 0
                ? $"metrics served at /metrics on port {options.PrometheusPort} only"
                : "metrics served at /metrics (keep it off the public network, or set Collab:Telemetry:PrometheusPort)")
            : new FeatureStatus("Prometheus", false, "Collab:Telemetry:Prometheus is false, so /metrics is not served"));
        services.AddSingleton(otlp is not null
            ? new FeatureStatus("OTLP", true, $"metrics and traces exported to {otlp.GetLeftPart(UriPartial.Authority)} over {options.OtlpProtocol}")
            : new FeatureStatus("OTLP", false, "no Collab:Telemetry:OtlpEndpoint or OTEL_EXPORTER_OTLP_ENDPOINT, so nothing is exported"));
        if (!options.Prometheus && otlp is null)
        {
            return services;
        }

        var redis = !string.IsNullOrWhiteSpace(configuration.GetConnectionString(Collab.Conferencing.Redis.CollabRedisOptions.ConnectionStringName));
        if (redis)
        {
            services.AddHostedService<RedisRoundTripProbe>();
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("collab-hub", serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ConferencingMetrics.MeterName, AudioMetrics.MeterName, Voice.VoiceMetrics.MeterName, RedisRoundTripProbe.MeterName)
                    .AddMeter(s_frameworkMeters)
                    .AddRuntimeInstrumentation();
                if (options.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (otlp is not null)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        Configure(exporter, otlp, protocol, "v1/metrics");
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = options.OtlpExportIntervalMilliseconds;
                    });
                }
            });
        if (otlp is not null)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsOperational(context.Request.Path))
                    .AddSource(SignalRActivitySource)
                    .AddOtlpExporter(exporter => Configure(exporter, otlp, protocol, "v1/traces"));
                if (redis)
                {
                    tracing.AddRedisInstrumentation();
                }
            });
        }

        return services;
    }

    /// <summary>Maps <c>/metrics</c> when the Prometheus exporter is on.</summary>
    public static WebApplication MapCollabTelemetry(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TelemetryOptions>>().Value;
        if (options.Prometheus)
        {
            var metrics = app.MapPrometheusScrapingEndpoint("/metrics");
            if (options.PrometheusPort > 0)
            {
                metrics.RequireHost($"*:{options.PrometheusPort}");
            }
        }

        return app;
    }

    private static bool IsOperational(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/metrics");

    private static void Configure(OtlpExporterOptions exporter, Uri endpoint, OtlpExportProtocol protocol, string signalPath)
    {
        exporter.Protocol = protocol;
        // Over http/protobuf each signal has its own path, which the exporter adds only to an endpoint it read from
        // the environment itself.
        exporter.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri($"{endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/')}/{signalPath}")
            : endpoint;
    }
}
