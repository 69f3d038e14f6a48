using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Collab.Conferencing.Redis;

/// <summary>
/// The one pub/sub channel on which nodes tell each other what their own state cannot (<see cref="RedisKeys.SignalsChannel"/>):
/// removals and participant changes (<see cref="RedisAccessSignals"/>) and room moves (<see cref="RedisRoomSignals"/>).
/// Each message is versioned JSON, <c>{"v":1,"kind":…,"node":…,"meetingId":…}</c> plus the kind's fields; readers ignore
/// unknown kinds and extra fields, so nodes of different versions can share it. A node skips its own messages (it
/// applied the change before publishing). Subscribes once however many kinds start it, or while Redis is
/// unreachable (the hub starts without it) keeps trying every second; StackExchange.Redis renews the subscription
/// after later reconnects by itself.
/// </summary>
public sealed partial class RedisNodeSignals(IConnectionMultiplexer redis, TimeProvider time, ILogger<RedisNodeSignals> logger) : IDisposable
{
    private static readonly TimeSpan s_retryInterval = TimeSpan.FromSeconds(1);
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
    private readonly string _node = Guid.NewGuid().ToString("N");
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, Func<NodeSignal, Task>> _handlers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _starting = new(1, 1);
    private bool _started;

    /// <summary>Handles other nodes' signals of <paramref name="kind"/> from now on (once subscribed: <see cref="StartAsync"/>).</summary>
    public void Handle(string kind, Func<NodeSignal, Task> handler)
    {
        lock (_handlers)
        {
            _handlers[kind] = handler;
        }
    }

    /// <summary>Subscribes to the channel, once however many kinds call it.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _starting.WaitAsync(cancellationToken);
        try
        {
            if (_started)
            {
                return;
            }

            _started = true;
            if (!await TrySubscribeAsync())
            {
                _ = Task.Run(() => RetryAsync(_stopping.Token), CancellationToken.None);
            }
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>Tells the other nodes; <paramref name="what"/> names the call in the store log when Redis fails.</summary>
    public Task PublishAsync(string what, NodeSignal signal) =>
        RedisCall.RunAsync(logger, what, () =>
            redis.GetSubscriber().PublishAsync(Channel, JsonSerializer.Serialize(signal with { V = 1, Node = _node }, s_json)));

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _starting.Dispose();
    }

    private async Task RetryAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(s_retryInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false) && !await TrySubscribeAsync())
            {
            }
        }
        catch (OperationCanceledException)
        {
            // The node is stopping.
        }
    }

    private async Task<bool> TrySubscribeAsync()
    {
        ChannelMessageQueue queue;
        try
        {
            queue = await redis.GetSubscriber().SubscribeAsync(Channel);
        }
        catch (Exception exception) when (exception is RedisConnectionException or RedisTimeoutException)
        {
            SubscribeDeferred(logger);
            return false;
        }

        queue.OnMessage(async message =>
        {
            NodeSignal? signal;
            try
            {
                signal = JsonSerializer.Deserialize<NodeSignal>(message.Message.ToString(), s_json);
            }
            catch (JsonException)
            {
                UnreadableSignal(logger);
                return;
            }

            Func<NodeSignal, Task>? handler = null;
            if (signal is { V: >= 1, Kind: { } kind, MeetingId: not null } && signal.Node != _node)
            {
                lock (_handlers)
                {
                    handler = _handlers.GetValueOrDefault(kind);
                }
            }

            try
            {
                if (handler is not null)
                {
                    await handler(signal!);
                }
            }
            catch (Exception exception) when (exception is ConferencingException or RedisException or TimeoutException)
            {
                SignalFailed(logger, signal!.Kind!, exception);
            }
        });
        return true;
    }

    private static RedisChannel Channel => RedisChannel.Literal(RedisKeys.SignalsChannel());

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Redis is unreachable: hearing other nodes' removals and room moves starts once it answers")]
    private static partial void SubscribeDeferred(ILogger logger);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Unreadable node signal")]
    private static partial void UnreadableSignal(ILogger logger);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Applying a node signal ({Kind}) from another node failed")]
    private static partial void SignalFailed(ILogger logger, string kind, Exception exception);
}

/// <summary>One message on the node signal channel; each kind uses the fields it needs (null ones are left out).</summary>
public sealed record NodeSignal(string? Kind, string? MeetingId, string? ParticipantId = null, string[]? ParticipantIds = null, string? Reason = null)
{
    public int V { get; init; }

    public string? Node { get; init; }
}
