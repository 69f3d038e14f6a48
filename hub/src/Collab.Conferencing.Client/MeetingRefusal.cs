using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.SignalR;

namespace Collab.Conferencing.Client;

/// <summary>
/// A refused hub call, read from its <see cref="HubException"/> (hub/PROTOCOL.md section 6): SignalR puts its own
/// prefix before the hub's <c>code: reason</c>; <see cref="Code"/> is the code, <see cref="Error"/> the same as the
/// contract's <see cref="ConferencingError"/> (null for a code this version does not know), <see cref="Message"/> the
/// whole <c>code: reason</c> text.
/// </summary>
public sealed record MeetingRefusal(string Code, ConferencingError? Error, string Message)
{
    private const string Marker = "HubException: ";

    /// <summary>The text after the code, meant for the user.</summary>
    public string Reason => Message.Length > Code.Length + 1 && Message.StartsWith(Code + ":", StringComparison.Ordinal)
        ? Message[(Code.Length + 1)..].TrimStart()
        : Message;

    /// <summary>The hub's <c>code: reason</c> from an exception's text (the whole text when it has no SignalR prefix).</summary>
    public static string MessageOf(HubException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var at = exception.Message.IndexOf(Marker, StringComparison.Ordinal);
        return at < 0 ? exception.Message : exception.Message[(at + Marker.Length)..];
    }

    /// <summary>Reads the refusal; a text without a <c>code:</c> (SignalR's own binding failures) gets the code <c>error</c>.</summary>
    public static MeetingRefusal Parse(HubException exception)
    {
        var message = MessageOf(exception);
        var colon = message.IndexOf(':', StringComparison.Ordinal);
        var code = colon > 0 && IsCode(message.AsSpan(0, colon)) ? message[..colon] : ConferencingErrorCodes.Unknown;
        return new MeetingRefusal(code, ConferencingErrorCodes.TryParse(code, out var error) ? error : null, message);
    }

    /// <summary>The refusal behind <paramref name="exception"/>, when it is a <see cref="HubException"/>.</summary>
    public static bool TryParse(Exception? exception, [NotNullWhen(true)] out MeetingRefusal? refusal)
    {
        refusal = exception is HubException hub ? Parse(hub) : null;
        return refusal is not null;
    }

    private static bool IsCode(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= 'a' and <= 'z') or '_'))
            {
                return false;
            }
        }

        return true;
    }
}

public static class MeetingRefusalExtensions
{
    /// <summary>The hub's refusal in this exception (<see cref="MeetingRefusal.Parse"/>).</summary>
    public static MeetingRefusal Refusal(this HubException exception) => MeetingRefusal.Parse(exception);
}
