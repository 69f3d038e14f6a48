using Microsoft.AspNetCore.SignalR;

namespace Collab.BareHub;

/// <summary>
/// A group broadcast hub with no store, identity or rate limit: the least any SignalR chat fan-out can cost. The
/// size limits match the Collab hub's (32 KiB per message, 2,000 characters of text, 64-character ids).
/// </summary>
public sealed class BroadcastHub(TimeProvider time) : Hub<IBroadcastClient>
{
    public const string Path = "/hubs/broadcast";
    public const int MaximumReceiveMessageSizeBytes = 32 * 1_024;
    private const int MaxIdLength = 64;
    private const int MaxTextLength = 2_000;

    public Task Join(string group) => Groups.AddToGroupAsync(Context.ConnectionId, Checked(group, MaxIdLength, nameof(group)));

    public Task Broadcast(string group, string clientMessageId, string text) =>
        Clients.Group(Checked(group, MaxIdLength, nameof(group))).MessageReceived(new BroadcastMessage(
            Checked(clientMessageId, MaxIdLength, nameof(clientMessageId)),
            Checked(text, MaxTextLength, nameof(text)),
            time.GetUtcNow().ToUnixTimeMilliseconds()));

    private static string Checked(string? value, int maxLength, string name) =>
        string.IsNullOrEmpty(value) || value.Length > maxLength
            ? throw new HubException($"invalid_input: {name} is 1–{maxLength} characters.")
            : value;
}
