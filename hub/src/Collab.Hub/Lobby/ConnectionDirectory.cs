using System.Collections.Concurrent;
using Collab.Conferencing;
using Collab.Conferencing.Lobby;
using Microsoft.AspNetCore.SignalR;

namespace Collab.Hub.Lobby;

/// <summary>
/// The hub connections of this node by id, so a removal can close one (<see cref="HubCallerContext.Abort"/> is the
/// only way to close a connection from the server). Filled by <see cref="ConnectionLifetimeFilter"/>.
/// </summary>
internal sealed class ConnectionDirectory
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new(StringComparer.Ordinal);

    public void Add(HubCallerContext connection) => _connections[connection.ConnectionId] = connection;

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    public void Abort(string connectionId)
    {
        if (_connections.TryGetValue(connectionId, out var connection))
        {
            connection.Abort();
        }
    }
}

/// <summary>Keeps <see cref="ConnectionDirectory"/> and tells the lobby when a waiting connection goes.</summary>
internal sealed class ConnectionLifetimeFilter(ConnectionDirectory directory, LobbyService lobby) : IHubFilter
{
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        directory.Add(context.Context);
        await next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        directory.Remove(context.Context.ConnectionId);
        try
        {
            await next(context, exception);
        }
        finally
        {
            try
            {
                await lobby.WaiterGoneAsync(context.Context.ConnectionId);
            }
            catch (Exception failure) when (failure is ConferencingException or TimeoutException)
            {
                // Redis is unreachable (the store logged it): the place stays until a moderator decides or the meeting ends.
            }
        }
    }
}
