using System.Text;
using Collab.Conferencing;
using Collab.Conferencing.Export;
using Collab.Conferencing.Model;
using Collab.Conferencing.Services;

namespace Collab.Hub.Api;

/// <summary>
/// HTTP endpoints: <c>POST /api/meetings</c> creates a meeting; <c>GET /api/meetings/{id}/export</c> (JSON),
/// <c>/export/chat.csv</c> and <c>/export/polls.csv</c> return its record to a caller sending the moderator key in
/// the <c>X-Moderator-Key</c> header. Refusals are problem details (RFC 9457) with the reason in <c>detail</c>.
/// </summary>
public static class MeetingEndpoints
{
    public const string ModeratorKeyHeader = "X-Moderator-Key";

    public static IEndpointRouteBuilder MapMeetingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var meetings = endpoints.MapGroup("/api/meetings");
        meetings.MapPost("/", CreateAsync);
        meetings.MapGet("/{meetingId}/export", ExportJsonAsync);
        meetings.MapGet("/{meetingId}/export/chat.csv", (string meetingId, HttpContext context, ExportService export) =>
            ExportCsvAsync(meetingId, context, export, MeetingRecordCsv.Chat, "chat"));
        meetings.MapGet("/{meetingId}/export/polls.csv", (string meetingId, HttpContext context, ExportService export) =>
            ExportCsvAsync(meetingId, context, export, MeetingRecordCsv.Polls, "polls"));
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(CreateMeetingRequest? request, MeetingService meetings, CancellationToken cancellationToken)
    {
        try
        {
            var created = await meetings.CreateAsync(request, cancellationToken);
            return Results.Created($"/api/meetings/{created.MeetingId}", created);
        }
        catch (ConferencingException exception)
        {
            return Problem(exception);
        }
    }

    private static async Task<IResult> ExportJsonAsync(string meetingId, HttpContext context, ExportService export)
    {
        try
        {
            return Results.Ok(await export.GetRecordAsync(meetingId, context.Request.Headers[ModeratorKeyHeader], context.RequestAborted));
        }
        catch (ConferencingException exception)
        {
            return Problem(exception);
        }
    }

    private static async Task<IResult> ExportCsvAsync(string meetingId, HttpContext context, ExportService export, Func<MeetingRecord, string> format, string part)
    {
        try
        {
            var record = await export.GetRecordAsync(meetingId, context.Request.Headers[ModeratorKeyHeader], context.RequestAborted);
            return Results.File(Encoding.UTF8.GetBytes(format(record)), "text/csv; charset=utf-8", $"meeting-{record.MeetingId}-{part}.csv");
        }
        catch (ConferencingException exception)
        {
            return Problem(exception);
        }
    }

    private static IResult Problem(ConferencingException exception) => Results.Problem(
        detail: exception.Message,
        title: exception.Code,
        statusCode: exception.Error switch
        {
            ConferencingError.InvalidInput => StatusCodes.Status400BadRequest,
            ConferencingError.NotFound => StatusCodes.Status404NotFound,
            ConferencingError.Forbidden or ConferencingError.NotJoined => StatusCodes.Status403Forbidden,
            ConferencingError.Conflict => StatusCodes.Status409Conflict,
            ConferencingError.RateLimited => StatusCodes.Status429TooManyRequests,
            _ => StatusCodes.Status503ServiceUnavailable,
        });
}
