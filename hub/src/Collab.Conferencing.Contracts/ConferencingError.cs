namespace Collab.Conferencing;

/// <summary>What went wrong, as a stable code a client can branch on.</summary>
public enum ConferencingError
{
    InvalidInput,
    NotFound,
    NotJoined,
    Forbidden,
    Conflict,
    RateLimited,
    Unavailable,
    FloorFull,
    FloorRequired,
    Muted,
    Locked,
    Removed,
    Denied,
    Waiting,
}

/// <summary>
/// The wire codes of <see cref="ConferencingError"/> (hub/PROTOCOL.md section 6): a refused call fails with
/// <c>code: reason</c>, e.g. <c>invalid_input: Chat text is 2001 characters; the limit is 2000.</c>
/// </summary>
public static class ConferencingErrorCodes
{
    /// <summary>The code of anything that is not a refusal (the hub's own fault).</summary>
    public const string Unknown = "error";

    private static readonly Dictionary<ConferencingError, string> s_codes = new()
    {
        [ConferencingError.InvalidInput] = "invalid_input",
        [ConferencingError.NotFound] = "not_found",
        [ConferencingError.NotJoined] = "not_joined",
        [ConferencingError.Forbidden] = "forbidden",
        [ConferencingError.Conflict] = "conflict",
        [ConferencingError.RateLimited] = "rate_limited",
        [ConferencingError.Unavailable] = "unavailable",
        [ConferencingError.FloorFull] = "floor_full",
        [ConferencingError.FloorRequired] = "floor_required",
        [ConferencingError.Muted] = "muted",
        [ConferencingError.Locked] = "locked",
        [ConferencingError.Removed] = "removed",
        [ConferencingError.Denied] = "denied",
        [ConferencingError.Waiting] = "waiting",
    };

    private static readonly Dictionary<string, ConferencingError> s_errors = s_codes.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>The snake_case code used on the wire, e.g. <c>invalid_input</c>.</summary>
    public static string Of(ConferencingError error) => s_codes.GetValueOrDefault(error, Unknown);

    /// <summary>The error a wire code names; false for a code this version does not know.</summary>
    public static bool TryParse(string? code, out ConferencingError error) => s_errors.TryGetValue(code ?? string.Empty, out error);
}
