using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using Collab.Conferencing;
using Collab.Conferencing.Limits;
using Collab.Conferencing.Redis;
using Collab.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Benchmarks;

/// <summary>
/// The cost of one rate-limited call's token (SendChat, Vote) before it reaches the service: the per-node,
/// per-connection-lifetime buckets the hub used before (baseline), the same limit in memory behind the store
/// interface, and the shared bucket in a real local redis-server (one Lua script round trip), one call at a time
/// and 64 at once (what a busy node's multiplexer pipelines).
/// </summary>
[MemoryDiagnoser]
public class RateLimitBenchmarks
{
    private const int Concurrent = 64;
    private readonly Session[] _sessions = [.. Enumerable.Range(0, Concurrent).Select(i => new Session($"c{i}", "meeting1", $"participant{i:00}", "Ana", ParticipantRole.Participant))];
    // Never refuses: the benchmark measures the cost of an allowed call (a refusal costs the same plus the exception).
    private readonly IOptions<ConferencingOptions> _options = Options.Create(new ConferencingOptions { ChatMessagesPerSecond = 1e12, ChatBurst = int.MaxValue });
    private PerNodeBuckets _before = null!;
    private ParticipantRateLimiter _inMemory = null!;
    private ParticipantRateLimiter _redis = null!;
    private RedisServer _server = null!;
    private ConnectionMultiplexer _multiplexer = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _before = new PerNodeBuckets(_options.Value, TimeProvider.System);
        _inMemory = new ParticipantRateLimiter(new InMemoryRateLimitStore(TimeProvider.System), _options);
        _server = new RedisServer();
        await _server.InitializeAsync();
        if (_server.UnavailableReason is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        _multiplexer = await ConnectionMultiplexer.ConnectAsync(_server.ConnectionString);
        _redis = new ParticipantRateLimiter(new RedisRateLimitStore(_multiplexer, new RedisKeys("bench"), NullLogger<RedisRateLimitStore>.Instance), _options);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _multiplexer.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public void PerNodeBefore() => _before.Acquire(_sessions[0].ParticipantId, RateLimitKind.Chat);

    [Benchmark]
    public ValueTask InMemoryStore() => _inMemory.AcquireAsync(_sessions[0], RateLimitKind.Chat);

    [Benchmark]
    public ValueTask RedisOneAtATime() => _redis.AcquireAsync(_sessions[0], RateLimitKind.Chat);

    /// <summary>64 participants' calls at once; reported per call.</summary>
    [Benchmark(OperationsPerInvoke = Concurrent)]
    public Task RedisSixtyFourAtOnce() => Task.WhenAll(_sessions.Select(session => _redis.AcquireAsync(session, RateLimitKind.Chat).AsTask()));

    /// <summary>The limiter the hub had before (per node, forgotten when the participant's last connection left there), as the baseline.</summary>
    private sealed class PerNodeBuckets(ConferencingOptions options, TimeProvider time)
    {
        private readonly ConcurrentDictionary<(string, RateLimitKind), Bucket> _buckets = new();

        public void Acquire(string participantId, RateLimitKind kind)
        {
            var (rate, burst) = (options.ChatMessagesPerSecond, options.ChatBurst);
            var bucket = _buckets.GetOrAdd((participantId, kind), _ => new Bucket { Tokens = burst, Refilled = time.GetTimestamp() });
            lock (bucket)
            {
                var now = time.GetTimestamp();
                bucket.Tokens = Math.Min(burst, bucket.Tokens + (time.GetElapsedTime(bucket.Refilled, now).TotalSeconds * rate));
                bucket.Refilled = now;
                if (bucket.Tokens < 1)
                {
                    throw new InvalidOperationException("rate limited");
                }

                bucket.Tokens--;
            }
        }

        private sealed class Bucket
        {
            public double Tokens { get; set; }

            public long Refilled { get; set; }
        }
    }
}
