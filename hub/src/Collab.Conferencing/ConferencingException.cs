namespace Collab.Conferencing;

/// <summary>
/// A refusal with a reason meant for the caller. The hub turns it into a <c>HubException</c> ("code: reason"),
/// the HTTP endpoints into a problem details response. Nothing was changed when it is thrown.
/// </summary>
public sealed class ConferencingException : Exception
{
    public ConferencingException(ConferencingError error, string message, Exception? innerException = null)
        : base(message, innerException) => Error = error;

    public ConferencingError Error { get; }

    /// <summary>The error as the snake_case code used on the wire, e.g. <c>invalid_input</c>.</summary>
    public string Code => CodeOf(Error);

    public static string CodeOf(ConferencingError error) => ConferencingErrorCodes.Of(error);

    public static ConferencingException Invalid(string message) => new(ConferencingError.InvalidInput, message);

    public static ConferencingException NotFound(string message) => new(ConferencingError.NotFound, message);

    public static ConferencingException Forbidden(string message) => new(ConferencingError.Forbidden, message);

    public static ConferencingException Conflict(string message) => new(ConferencingError.Conflict, message);

    public static ConferencingException Unavailable(string message, Exception? inner = null) => new(ConferencingError.Unavailable, message, inner);
}
