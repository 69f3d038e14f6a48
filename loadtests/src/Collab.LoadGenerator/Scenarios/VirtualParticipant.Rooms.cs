using Collab.Conferencing.Rooms;
using Collab.LoadGenerator.Rooms;
using Collab.Conferencing.Chat;

namespace Collab.LoadGenerator.Scenarios;

/// <summary>
/// Discussion rooms (roundtable): follow <c>RoomChanged</c>, keep the room's chat apart from the main chat (its own
/// sequences, its own catch-up), and hold chat back while a move is under way, so that every message lands in the
/// chat its client message id names.
/// </summary>
internal sealed partial class VirtualParticipant
{
    private readonly HashSet<long> _roomChat = [];
    private string? _roomId;
    private long _roomContiguous;
    private int _moving;
    private int _sending;

    /// <summary>The room this participant is in (null: the main room), as the hub last said.</summary>
    public string? RoomId
    {
        get
        {
            lock (_gate)
            {
                return _roomId;
            }
        }
    }

    /// <summary>Holds chat back from now until the hub says where this participant is (a move is coming).</summary>
    public void ExpectMove() => Interlocked.Exchange(ref _moving, 1);

    /// <summary>The move is over (or the runner stopped waiting for it): chat may go on.</summary>
    public void MoveSettled() => Interlocked.Exchange(ref _moving, 0);

    /// <summary>Whether no chat message of this participant is in flight.</summary>
    public bool Quiet => Interlocked.CompareExchange(ref _sending, 0, 0) == 0;

    /// <summary>
    /// Waits (bounded by the token) while a move is under way, then counts a message as in flight. The count goes up
    /// before the flag is read again, and the runner sets the flag before it reads the count (both full fences), so a
    /// move never starts under a message that is about to go.
    /// </summary>
    private async Task BeginSendAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            while (Volatile.Read(ref _moving) == 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }

            Interlocked.Increment(ref _sending);
            if (Interlocked.CompareExchange(ref _moving, 0, 0) == 0)
            {
                return;
            }

            Interlocked.Decrement(ref _sending);
        }
    }

    private void EndSend() => Interlocked.Decrement(ref _sending);

    private string ChatIdFor(int number) => RoomId is { } room ? RoomChatStatistics.ClientMessageId(room, Index, number) : $"p{Index}-{number}";

    /// <summary>An acknowledged message: a room message counts for its room; false for a main-room one.</summary>
    private bool RoomChatSent(string clientMessageId, long sequence)
    {
        if (RoomChatStatistics.RoomOf(clientMessageId) is not { } room)
        {
            return false;
        }

        _stats.Rooms.Sent(room, sequence);
        return true;
    }

    /// <summary>A delivered message of a room (by its client message id): counted for that room; false for a main-room one.</summary>
    private bool RoomChatDelivered(ChatMessage message)
    {
        if (RoomChatStatistics.RoomOf(message.ClientMessageId) is not { } room)
        {
            return false;
        }

        lock (_gate)
        {
            if (room == _roomId)
            {
                _roomChat.Add(message.Sequence);
                while (_roomChat.Contains(_roomContiguous + 1))
                {
                    _roomContiguous++;
                }
            }
        }

        _stats.Rooms.Delivered(Index, room, message.Sequence);
        return true;
    }

    /// <summary>Where catch-up starts: the main chat's contiguous sequence, or the room's while in a room.</summary>
    private long CatchUpFrom()
    {
        lock (_gate)
        {
            return _roomId is null ? _contiguous : _roomContiguous;
        }
    }

    private void OnRoomChanged(RoomLocationView location)
    {
        lock (_gate)
        {
            _roomId = location.RoomId;
            _roomChat.Clear();
            _roomContiguous = 0;
            // Another room's voice (or none): audio missed while away is not loss on arrival.
            _lastAudioSequence.Clear();
        }

        _stats.Rooms.Moved();
        _ = CatchUpAfterMoveAsync();
    }

    /// <summary>The new room's chat from its start (or the main chat missed while away), then chat may go on.</summary>
    private async Task CatchUpAfterMoveAsync()
    {
        try
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await CatchUpAsync(patience.Token);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            _stats.Error("catch-up after a room move", exception);
        }
        finally
        {
            MoveSettled();
        }
    }
}
