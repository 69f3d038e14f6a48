using Collab.BareHub;
using Collab.Conferencing.Client;
using Collab.Hub.Hubs;
using Collab.LoadGenerator.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;

namespace Collab.LoadGenerator.Baseline;

/// <summary>
/// Real SignalR .NET clients (WebSockets without negotiation, MessagePack) for a baseline target, speaking its
/// protocol: a room is a Collab meeting (created over HTTP, joined with its join code, chat with <c>SendChat</c>) or a
/// bare-hub group (<c>Join</c>, <c>Broadcast</c>). <paramref name="route"/> maps the server's base address to the one
/// clients dial, so a caller can put a proxy in between; by default they dial the server.
/// </summary>
internal sealed class BaselineClients(BaselineServer server, Func<Uri, Uri>? route = null)
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(60);

    public async Task<BaselineRoom> CreateRoomAsync(string name, CancellationToken cancellationToken)
    {
        if (server.Target == BaselineTarget.Bare)
        {
            return new BaselineRoom(name, JoinCode: null);
        }

        var meeting = await MeetingApi.CreateAsync(server.Address, name, cancellationToken, s_callTimeout);
        return new BaselineRoom(meeting.MeetingId, meeting.JoinCode);
    }

    /// <summary>
    /// Connects and joins <paramref name="room"/> as <paramref name="name"/>; <paramref name="onMessage"/>, when given,
    /// receives the client message id of every chat message or broadcast pushed to this client.
    /// </summary>
    public async Task<HubConnection> ConnectAsync(BaselineRoom room, string name, Action<string>? onMessage, CancellationToken cancellationToken)
    {
        var address = route is null ? server.Address : route(server.Address);
        // Both targets through the one client, alike: only the hub's path differs. As the load generator's
        // participants: tolerant of a server busy with a join storm.
        var connection = MeetingHubConnection.Build(address, new MeetingConnectionOptions
        {
            Path = server.Target == BaselineTarget.Collab ? IMeetingHub.Path : "/hubs/broadcast",
            SkipNegotiation = true,
            ServerTimeout = TimeSpan.FromSeconds(60),
            KeepAliveInterval = TimeSpan.FromSeconds(15),
        });
        if (onMessage is not null)
        {
            if (server.Target == BaselineTarget.Collab)
            {
                connection.OnChatMessageReceived(message => onMessage(message.ClientMessageId));
            }
            else
            {
                connection.On<BroadcastMessage>(nameof(IBroadcastClient.MessageReceived), message => onMessage(message.ClientMessageId));
            }
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_callTimeout);
            await connection.StartAsync(timeout.Token);
            if (server.Target == BaselineTarget.Collab)
            {
                await connection.JoinAsync(new JoinRequest(room.Id, name, JoinCode: room.JoinCode), timeout.Token);
            }
            else
            {
                await connection.InvokeAsync("Join", room.Id, timeout.Token);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Fills <paramref name="connections"/>[<paramref name="range"/>], at most <paramref name="concurrency"/> connecting
    /// at once, all within <paramref name="limit"/>.
    /// </summary>
    public async Task ConnectManyAsync(HubConnection?[] connections, Range range, int concurrency, TimeSpan limit, Func<int, BaselineRoom> roomOf, Func<int, Action<string>?> handlerOf, CancellationToken cancellationToken)
    {
        var (offset, length) = range.GetOffsetAndLength(connections.Length);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        var joined = 0;
        try
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(offset, length),
                new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = timeout.Token },
                async (index, token) =>
                {
                    connections[index] = await ConnectAsync(roomOf(index), $"load {index}", handlerOf(index), token);
                    Interlocked.Increment(ref joined);
                });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Either the whole phase ran out of time, or one connection's own call did (a busy machine): say which.
            throw timeout.IsCancellationRequested
                ? new TimeoutException($"{server.Target}: only {Volatile.Read(ref joined)} of {length} connections joined within {limit.TotalMinutes:0.#} min.")
                : new TimeoutException($"{server.Target}: a connection did not connect and join within {s_callTimeout.TotalSeconds:0} s ({Volatile.Read(ref joined)} of {length} had joined).");
        }
    }

    /// <summary>
    /// One chat message (Collab, acknowledged once stored) or broadcast (bare hub, acknowledged once sent). True when
    /// the sender has its own message from the result (Collab pushes a message to everyone but its sender's
    /// connection); false when its copy comes as a push like everyone else's (the bare hub's group broadcast).
    /// </summary>
    public async Task<bool> SendAsync(HubConnection connection, BaselineRoom room, string clientMessageId, string text, CancellationToken cancellationToken)
    {
        if (server.Target == BaselineTarget.Collab)
        {
            await connection.SendChatAsync(new SendChatRequest(clientMessageId, text), cancellationToken);
            return true;
        }

        await connection.InvokeAsync("Broadcast", room.Id, clientMessageId, text, cancellationToken);
        return false;
    }

    /// <summary>Stops the server first (see <see cref="BaselineServer"/>), then closes every client, a bounded number at a time.</summary>
    public async Task StopAsync(HubConnection?[] connections)
    {
        await server.StopAsync();
        await Parallel.ForEachAsync(
            connections.Where(connection => connection is not null),
            new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (connection, _) => await connection!.DisposeAsync());
    }
}
