using Collab.Conferencing;

namespace Collab.Hub.Api;

/// <summary>
/// Every HTTP refusal is a problem details body (RFC 9457) whose <c>title</c> and <c>code</c> are the error code of
/// hub/PROTOCOL.md §6 and whose <c>detail</c> says why: domain refusals through <see cref="Filter"/> (one endpoint
/// filter for every endpoint), and the framework's own (malformed JSON, unknown route, wrong method, rate limited)
/// through the status code pages, which write through <see cref="Customize"/>.
/// </summary>
public static class ProblemResponses
{
    public const string CodeExtension = "code";

    public static IServiceCollection AddCollabProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = Customize);
        // A body that cannot be read is a 400 answered by the status code pages, never an exception (which would be
        // logged as an error of the hub's own).
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = false);
        return services;
    }

    /// <summary>Turns a domain refusal thrown by any endpoint into its problem details response.</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ConferencingException exception)
        {
            return ToResult(exception);
        }
    }

    /// <summary>Writes a refusal outside an endpoint (e.g. the rate limiter's rejection).</summary>
    public static Task Write(HttpContext context, ConferencingException exception) => ToResult(exception).ExecuteAsync(context);

    private static IResult ToResult(ConferencingException exception) =>
        Results.Problem(detail: exception.Message, title: exception.Code, statusCode: StatusOf(exception.Error),
            extensions: new Dictionary<string, object?> { [CodeExtension] = exception.Code });

    public static int StatusOf(ConferencingError error) => error switch
    {
        ConferencingError.InvalidInput => StatusCodes.Status400BadRequest,
        ConferencingError.NotFound => StatusCodes.Status404NotFound,
        ConferencingError.Forbidden or ConferencingError.NotJoined => StatusCodes.Status403Forbidden,
        ConferencingError.Conflict => StatusCodes.Status409Conflict,
        ConferencingError.RateLimited => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status503ServiceUnavailable,
    };

    /// <summary>Fills the code (and a reason) of a problem the framework wrote from a bare status code.</summary>
    private static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey(CodeExtension))
        {
            return;
        }

        var (code, detail) = (problem.Status ?? context.HttpContext.Response.StatusCode) switch
        {
            StatusCodes.Status400BadRequest => ("invalid_input", "The request could not be read: the body must be JSON of the documented shape (hub/PROTOCOL.md)."),
            StatusCodes.Status403Forbidden => ("forbidden", "This request is not allowed."),
            StatusCodes.Status404NotFound => ("not_found", "Nothing is at this address."),
            StatusCodes.Status405MethodNotAllowed => ("method_not_allowed", "This address does not take this HTTP method."),
            StatusCodes.Status413PayloadTooLarge => ("invalid_input", "The request body is too large."),
            StatusCodes.Status415UnsupportedMediaType => ("invalid_input", "Send the body as application/json."),
            StatusCodes.Status429TooManyRequests => ("rate_limited", "Too many requests; retry later."),
            StatusCodes.Status503ServiceUnavailable => ("unavailable", "The service cannot take this request now; retry later."),
            _ => ("error", "The request failed."),
        };
        problem.Title = code;
        problem.Detail ??= detail;
        problem.Extensions[CodeExtension] = code;
    }
}
