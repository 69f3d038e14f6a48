using Collab.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace Collab.Hub.Tests.Lobby;

/// <summary>Records one push (by name) on a client's connection; tests wait on a condition over what arrived, never on sleeps.</summary>
internal sealed class Pushes<T>
{
    private readonly object _gate = new();
    private readonly List<T> _items = [];
    private readonly List<(Func<IReadOnlyList<T>, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    public Pushes(MeetingClient client, string method) =>
        client.Connection.On<T>(method, item =>
        {
            lock (_gate)
            {
                _items.Add(item);
                foreach (var waiter in _waiters.Where(w => w.Condition(_items)).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Done.TrySetResult();
                }
            }
        });

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_gate)
            {
                return [.. _items];
            }
        }
    }

    public async Task<IReadOnlyList<T>> WaitForAsync(Func<IReadOnlyList<T>, bool> condition, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(_items))
            {
                return [.. _items];
            }

            _waiters.Add((condition, done));
        }

        try
        {
            await done.Task.WaitAsync(MeetingClient.DefaultTimeout, Xunit.TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out waiting for {what}.");
        }

        return Items;
    }
}
