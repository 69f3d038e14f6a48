using Collab.Conferencing.Client;
using Microsoft.AspNetCore.SignalR;

namespace Collab.Testing;

public static class HubErrors
{
    /// <summary>
    /// The "code: reason" the server put in its <see cref="HubException"/>. SignalR prefixes it with
    /// "An unexpected error occurred invoking 'X' on the server. HubException: " (see hub/PROTOCOL.md); the client's
    /// <see cref="MeetingRefusal"/> reads it.
    /// </summary>
    public static string Reason(this HubException exception) => MeetingRefusal.MessageOf(exception);
}
