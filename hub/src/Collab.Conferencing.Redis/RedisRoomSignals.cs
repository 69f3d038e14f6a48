using System.Text.Json;
using Collab.Conferencing.Rooms;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Collab.Conferencing.Redis;

/// <summary>
/// Room moves between nodes on one pub/sub channel for the deployment (<see cref="RedisKeys.RoomsChannel"/>). Each
/// message is versioned JSON (<c>{"v":1,"kind":"moved","node":…,"meetingId":…,"participantIds":[…],"reason":"closed"}</c>);
/// readers ignore unknown kinds, reasons and extra fields, so nodes of different versions can share it. A node skips its
/// own messages (it applied the move before publishing). A lost message is healed by the next move of the same
/// participant or their reconnect, both of which read the store.
/// </summary>
public sealed partial class RedisRoomSignals(IConnectionMultiplexer redis, TimeProvider time, ILogger<RedisRoomSignals> logger) : IRoomSignals, IDisposable
{
    private static readonly TimeSpan s_retryInterval = TimeSpan.FromSeconds(1);
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private readonly string _node = Guid.NewGuid().ToString("N");
    private readonly CancellationTokenSource _stopping = new();

    public async Task StartAsync(Func<string, IReadOnlyList<string>, RoomMoveReason, Task> moved, CancellationToken cancellationToken = default)
    {
        if (!await TrySubscribeAsync(moved))
        {
            _ = Task.Run(() => RetryAsync(moved, _stopping.Token), CancellationToken.None);
        }
    }

    public Task PublishMovedAsync(string meetingId, IReadOnlyList<string> participantIds, RoomMoveReason reason, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "rooms publish", () =>
            redis.GetSubscriber().PublishAsync(Channel, JsonSerializer.Serialize(new Signal(1, "moved", _node, meetingId, [.. participantIds], reason.ToString()), s_json)));

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task RetryAsync(Func<string, IReadOnlyList<string>, RoomMoveReason, Task> moved, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(s_retryInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false) && !await TrySubscribeAsync(moved))
            {
            }
        }
        catch (OperationCanceledException)
        {
            // The node is stopping.
        }
    }

    private async Task<bool> TrySubscribeAsync(Func<string, IReadOnlyList<string>, RoomMoveReason, Task> moved)
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
                if (JsonSerializer.Deserialize<Signal>(message.Message.ToString(), s_json) is { V: >= 1, Kind: "moved" } signal
                    && signal.Node != _node && signal.MeetingId is { } meetingId && signal.ParticipantIds is { Length: > 0 } participantIds)
                {
                    var reason = Enum.TryParse<RoomMoveReason>(signal.Reason, ignoreCase: true, out var known) ? known : RoomMoveReason.Joined;
                    await moved(meetingId, participantIds, reason);
                }
            }
            catch (JsonException)
            {
                UnreadableSignal(logger);
            }
            catch (Exception exception) when (exception is ConferencingException or RedisException or TimeoutException)
            {
                MoveFailed(logger, exception);
            }
        });
        return true;
    }

    private static RedisChannel Channel => RedisChannel.Literal(RedisKeys.RoomsChannel());

    private sealed record Signal(int V, string? Kind, string? Node, string? MeetingId, string[]? ParticipantIds, string? Reason);

    [LoggerMessage(EventId = 3161, Level = LogLevel.Information, Message = "Redis is unreachable: hearing other nodes' room moves starts once it answers")]
    private static partial void SubscribeDeferred(ILogger logger);

    [LoggerMessage(EventId = 3162, Level = LogLevel.Warning, Message = "Unreadable room signal")]
    private static partial void UnreadableSignal(ILogger logger);

    [LoggerMessage(EventId = 3163, Level = LogLevel.Warning, Message = "Applying a room move from another node failed")]
    private static partial void MoveFailed(ILogger logger, Exception exception);
}
