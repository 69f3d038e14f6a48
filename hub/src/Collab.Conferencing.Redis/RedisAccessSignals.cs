using System.Text.Json;
using Collab.Conferencing.Lobby;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Collab.Conferencing.Redis;

/// <summary>
/// Removals between nodes on one pub/sub channel for the deployment (<see cref="RedisKeys.AccessChannel"/>). Each
/// message is versioned JSON (<c>{"v":1,"kind":"removed","node":…,"meetingId":…,"participantId":…}</c>); readers
/// ignore unknown kinds and extra fields, so nodes of different versions can share it. A node skips its own messages:
/// it applied the removal before publishing.
/// </summary>
public sealed partial class RedisAccessSignals(IConnectionMultiplexer redis, ILogger<RedisAccessSignals> logger) : IAccessSignals
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private readonly string _node = Guid.NewGuid().ToString("N");

    public async Task StartAsync(Func<string, string, Task> removed, CancellationToken cancellationToken = default)
    {
        var queue = await redis.GetSubscriber().SubscribeAsync(Channel);
        queue.OnMessage(async message =>
        {
            try
            {
                if (JsonSerializer.Deserialize<Signal>(message.Message.ToString(), s_json) is { V: >= 1, Kind: "removed" } signal
                    && signal.Node != _node && signal.MeetingId is { } meetingId && signal.ParticipantId is { } participantId)
                {
                    await removed(meetingId, participantId);
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
    }

    public Task PublishRemovedAsync(string meetingId, string participantId, CancellationToken cancellationToken = default) =>
        RedisCall.RunAsync(logger, "access publish", () =>
            redis.GetSubscriber().PublishAsync(Channel, JsonSerializer.Serialize(new Signal(1, "removed", _node, meetingId, participantId), s_json)));

    private static RedisChannel Channel => RedisChannel.Literal(RedisKeys.AccessChannel());

    private sealed record Signal(int V, string? Kind, string? Node, string? MeetingId, string? ParticipantId);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Unreadable access signal")]
    private static partial void UnreadableSignal(ILogger logger);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Applying a removal from another node failed")]
    private static partial void RemovalFailed(ILogger logger, Exception exception);
}
