using Microsoft.AspNetCore.SignalR;

namespace Collab.Testing;

public static class HubErrors
{
    private const string Marker = "HubException: ";

    /// <summary>
    /// The "code: reason" the server put in its <see cref="HubException"/>. SignalR prefixes it with
    /// "An unexpected error occurred invoking 'X' on the server. HubException: " (see hub/PROTOCOL.md).
    /// </summary>
    public static string Reason(this HubException exception)
    {
        var at = exception.Message.IndexOf(Marker, StringComparison.Ordinal);
        return at < 0 ? exception.Message : exception.Message[(at + Marker.Length)..];
    }
}
