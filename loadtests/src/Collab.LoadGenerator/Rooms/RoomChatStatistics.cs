using System.Collections.Concurrent;

namespace Collab.LoadGenerator.Rooms;

/// <summary>
/// What the roundtable's discussion rooms observed: who was assigned to each room, every room message the hub
/// acknowledged, and each delivery to a participant (by room and the room's own sequence). A room message carries
/// its room in its client message id (<c>r{roomId}-p{index}-{n}</c>), so a receiver files it under the right chat even
/// when a push overtakes its own move. Each room message must reach every member of its room once.
/// </summary>
internal sealed class RoomChatStatistics
{
    private readonly ConcurrentDictionary<string, int[]> _members = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Room, long Sequence), byte> _sent = new();
    private readonly ConcurrentDictionary<(int Participant, string Room, long Sequence), int> _deliveries = new();
    private long _moves;

    public const string Prefix = "r";

    public void Assigned(string roomId, int[] participants) => _members[roomId] = participants;

    public void Moved() => Interlocked.Increment(ref _moves);

    public static string ClientMessageId(string roomId, int participant, int number) => $"{Prefix}{roomId}-p{participant}-{number}";

    /// <summary>The room of a room message's client message id, or null for a main-room message.</summary>
    public static string? RoomOf(string clientMessageId)
    {
        if (!clientMessageId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var dash = clientMessageId.IndexOf('-', StringComparison.Ordinal);
        return dash > Prefix.Length ? clientMessageId[Prefix.Length..dash] : null;
    }

    public void Sent(string roomId, long sequence) => _sent.TryAdd((roomId, sequence), 0);

    public void Delivered(int participant, string roomId, long sequence) =>
        _deliveries.AddOrUpdate((participant, roomId, sequence), 1, (_, count) => count + 1);

    public RoomChatResult Result()
    {
        long expected = 0, delivered = 0, duplicated = 0;
        foreach (var (room, sequence) in _sent.Keys)
        {
            foreach (var participant in _members.GetValueOrDefault(room) ?? [])
            {
                expected++;
                if (_deliveries.TryGetValue((participant, room, sequence), out var count))
                {
                    delivered++;
                    duplicated += count - 1;
                }
            }
        }

        return new RoomChatResult(_members.Count, _members.Values.Sum(m => m.Length), Interlocked.Read(ref _moves), _sent.Count, expected, delivered, duplicated);
    }
}

/// <summary>
/// The rooms figures: rooms opened, participants assigned, moves seen (<c>RoomChanged</c> pushes: into a room and back),
/// room messages acknowledged, and their deliveries to the room's members (expected, received once or more, extra copies).
/// </summary>
internal sealed record RoomChatResult(int Rooms, int Members, long Moves, long Messages, long DeliveriesExpected, long DeliveriesReceived, long DuplicatePushes)
{
    public double Completeness => DeliveriesExpected == 0 ? 1 : DeliveriesReceived / (double)DeliveriesExpected;
}
