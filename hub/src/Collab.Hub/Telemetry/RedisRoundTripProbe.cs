using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Collab.Hub.Telemetry;

/// <summary>
/// Measures this node's round trip to Redis with a PING at a fixed interval into <c>collab.redis.roundtrip</c>
/// (meter <c>Collab.Redis</c>), and counts failed probes, so a dashboard shows Redis slowing down before calls fail.
/// Registered only when Redis and an exporter are on.
/// </summary>
internal sealed class RedisRoundTripProbe : BackgroundService
{
    public const string MeterName = "Collab.Redis";

    private readonly IConnectionMultiplexer _redis;
    private readonly TimeSpan _interval;
    private readonly Meter _meter;
    private readonly Histogram<double> _roundTrip;
    private readonly Counter<long> _failures;

    public RedisRoundTripProbe(IConnectionMultiplexer redis, IMeterFactory meterFactory, IOptions<TelemetryOptions> options)
    {
        _redis = redis;
        _interval = TimeSpan.FromMilliseconds(options.Value.RedisProbeIntervalMilliseconds);
        _meter = meterFactory.Create(MeterName);
        _roundTrip = _meter.CreateHistogram<double>("collab.redis.roundtrip", "s", "Round trip of a PING from this node to Redis.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });
        _failures = _meter.CreateCounter<long>("collab.redis.probe_failures", "{probe}", "PINGs to Redis that failed or timed out.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval);
        do
        {
            try
            {
                _roundTrip.Record((await _redis.GetDatabase().PingAsync().WaitAsync(_interval, stoppingToken)).TotalSeconds);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                _failures.Add(1);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
