

namespace Collab.Conferencing.Meetings;

/// <summary>Input checks shared by the services; every failure is an invalid_input refusal naming the field.</summary>
internal static class Inputs
{
    public const int MaxIdLength = 64;

    /// <summary>Trimmed text of 1..<paramref name="max"/> characters without control characters (newlines and tabs allowed when <paramref name="multiline"/>).</summary>
    public static string Text(string? value, string field, int max, bool multiline = false)
    {
        var text = value?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            throw ConferencingException.Invalid($"{field} is required and may not be blank.");
        }

        if (text.Length > max)
        {
            throw ConferencingException.Invalid($"{field} is {text.Length} characters; the limit is {max}.");
        }

        if (text.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')))
        {
            throw ConferencingException.Invalid($"{field} contains control characters.");
        }

        return text;
    }

    /// <summary>An id or client-chosen key: 1..64 characters of letters, digits, '-', '_', '.' or ':'.</summary>
    public static string Id(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw ConferencingException.Invalid($"{field} is required.");
        }

        if (value.Length > MaxIdLength || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
        {
            throw ConferencingException.Invalid($"{field} must be 1 to {MaxIdLength} characters of letters, digits, '-', '_', '.' or ':'.");
        }

        return value;
    }

    public static int PageSize(int limit, int max) => limit >= 1 && limit <= max
        ? limit
        : throw ConferencingException.Invalid($"limit must be between 1 and {max}; it was {limit}.");

    /// <summary>The meeting, or not_found; conflict when it has ended.</summary>
    public static async Task<Meeting> RequireActiveMeetingAsync(this IMeetingStore store, string meetingId, CancellationToken cancellationToken)
    {
        var meeting = await store.GetAsync(meetingId, cancellationToken) ?? throw ConferencingException.NotFound($"No meeting has the id '{meetingId}'.");
        return meeting.HasEnded ? throw ConferencingException.Conflict("This meeting has ended.") : meeting;
    }

    public static Session RequireModerator(this Session session, string action) => session.IsModerator
        ? session
        : throw ConferencingException.Forbidden($"Only a moderator may {action}.");
}
