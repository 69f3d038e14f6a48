using System.Text.Json;
using Collab.Conferencing.Lobby;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Collab.Conferencing.Redis;

/// <summary>
/// Removals and participant changes between nodes on one pub/sub channel for the deployment (<see cref="RedisKeys.AccessChannel"/>). Each
/// message is versioned JSON (<c>{"v":1,"kind":"removed"|"changed","node":…,"meetingId":…,"participantId":…}</c>); readers
/// ignore unknown kinds and extra fields, so nodes of different versions can share it. A node skips its own messages:
/// it applied the removal before publishing.
/// </summary>
public sealed partial class RedisAccessSignals(IConnectionMultiplexer redis, TimeProvider time, ILogger<RedisAccessSignals> logger) : IAccessSignals, IDisposable
{
    private static readonly TimeSpan s_retryInterval = TimeSpan.FromSeconds(1);
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private readonly string _node = Guid.NewGuid().ToString("N");
    private readonly CancellationTokenSource _stopping = new();
    private Func<string, string, Task>? _changed;

    /// <summary>
    /// Subscribes now, or, while Redis is unreachable (the hub starts without it), keeps trying every second in the
    /// background until it can; StackExchange.Redis renews the subscription after later reconnects by itself.
    /// </summary>
    public async Task StartAsync(Func<string, string, Task> removed, CancellationToken cancellationToken = default)
    {
        if (!await TrySubscribeAsync(removed))
        {
            _ = Task.Run(() => RetryAsync(removed, _stopping.Token), CancellationToken.None);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task RetryAsync(Func<string, string, Task> removed, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(s_retryInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false) && !await TrySubscribeAsync(removed))
            {
            }
        }
        catch (OperationCanceledException)
        {
            // The node is stopping.
        }
    }

    private async Task<bool> TrySubscribeAsync(Func<string, string, Task> removed)
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
            try
            {
                if (JsonSerializer.Deserialize<Signal>(message.Message.ToString(), s_json) is { V: >= 1 } signal
                    && signal.Node != _node && signal.MeetingId is { } meetingId && signal.ParticipantId is { } participantId)
                {
                    switch (signal.Kind)
                    {
                        case "removed":
                            await removed(meetingId, participantId);
                            break;
                        case "changed" when Volatile.Read(ref _changed) is { } changed:
                            await changed(meetingId, participantId);
                            break;
                        default:
                            break;
                    }
                }
            }
            catch (JsonException)
            {
                UnreadableSignal(logger);
            }
            catch (Exception exception) when (exception is ConferencingException or RedisException or TimeoutException)
            {
                RemovalFailed(logger, exception);
            }
        });
        return true;
    }

    public Task PublishRemovedAsync(string meetingId, string participantId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "access publish", () =>
            redis.GetSubscriber().PublishAsync(Channel, JsonSerializer.Serialize(new Signal(1, "removed", _node, meetingId, participantId), s_json)));

    public void OnChanged(Func<string, string, Task> changed) => Volatile.Write(ref _changed, changed);

    public Task PublishChangedAsync(string meetingId, string participantId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "access publish", () =>
            redis.GetSubscriber().PublishAsync(Channel, JsonSerializer.Serialize(new Signal(1, "changed", _node, meetingId, participantId), s_json)));

    private static RedisChannel Channel => RedisChannel.Literal(RedisKeys.AccessChannel());

    private sealed record Signal(int V, string? Kind, string? Node, string? MeetingId, string? ParticipantId);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Redis is unreachable: hearing other nodes' removals starts once it answers")]
    private static partial void SubscribeDeferred(ILogger logger);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Unreadable access signal")]
    private static partial void UnreadableSignal(ILogger logger);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Applying a removal or a participant change from another node failed")]
    private static partial void RemovalFailed(ILogger logger, Exception exception);
}
