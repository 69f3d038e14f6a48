using Collab.Conferencing.Rooms;
using Collab.Hub.Hubs;
using Collab.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace Collab.Hub.Tests.Rooms;

/// <summary>Records one client's room pushes (<c>RoomsUpdated</c>, <c>RoomChanged</c>, <c>RoomBroadcast</c>) and waits on them.</summary>
internal sealed class RoomWatcher
{
    private readonly object _gate = new(); // Monitor is re-entrant: conditions read the lists under it
    private readonly List<RoomsView> _rooms = [];
    private readonly List<RoomLocationView> _changes = [];
    private readonly List<RoomBroadcastView> _broadcasts = [];
    private readonly List<(Func<RoomWatcher, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    public RoomWatcher(MeetingClient client)
    {
        client.Connection.On<RoomsView>(nameof(IMeetingClient.RoomsUpdated), rooms => Record(() => _rooms.Add(rooms)));
        client.Connection.On<RoomLocationView>(nameof(IMeetingClient.RoomChanged), location => Record(() => _changes.Add(location)));
        client.Connection.On<RoomBroadcastView>(nameof(IMeetingClient.RoomBroadcast), broadcast => Record(() => _broadcasts.Add(broadcast)));
    }

    public IReadOnlyList<RoomLocationView> Changes
    {
        get
        {
            lock (_gate)
            {
                return [.. _changes];
            }
        }
    }

    public IReadOnlyList<RoomBroadcastView> Broadcasts
    {
        get
        {
            lock (_gate)
            {
                return [.. _broadcasts];
            }
        }
    }

    /// <summary>The newest rooms view received (highest version), or null.</summary>
    public RoomsView? Latest
    {
        get
        {
            lock (_gate)
            {
                return _rooms.MaxBy(view => view.Version);
            }
        }
    }

    public RoomLocationView? LastChange => Changes.LastOrDefault();

    public async Task WaitForAsync(Func<RoomWatcher, bool> condition, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(this))
            {
                return;
            }

            _waiters.Add((condition, done));
        }

        try
        {
            await done.Task.WaitAsync(MeetingClient.DefaultTimeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out waiting for {what}.");
        }
    }

    private void Record(Action change)
    {
        List<TaskCompletionSource> ready;
        lock (_gate)
        {
            change();
            ready = [.. _waiters.Where(waiter => waiter.Condition(this)).Select(waiter => waiter.Done)];
            _waiters.RemoveAll(waiter => ready.Contains(waiter.Done));
        }

        foreach (var done in ready)
        {
            done.TrySetResult();
        }
    }
}
