using System.Text;
using Collab.Conferencing.Export;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Hub.Api;

/// <summary>
/// HTTP endpoints: <c>POST /api/meetings</c> creates a meeting; <c>GET /api/meetings/{id}/export</c> (JSON),
/// <c>/export/chat.csv</c>, <c>/export/polls.csv</c>, <c>/export/questions.csv</c>, <c>/export/speakers.csv</c> and <c>/export/rooms.csv</c> (discussion room chats) return its record to a caller sending the moderator key in
/// the <c>X-Moderator-Key</c> header. Refusals are problem details (RFC 9457), written by <see cref="ProblemResponses"/>.
/// </summary>
public static class MeetingEndpoints
{
    public const string ModeratorKeyHeader = "X-Moderator-Key";

    public static IEndpointRouteBuilder MapMeetingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var meetings = endpoints.MapGroup("/api/meetings").AddEndpointFilter(ProblemResponses.Filter);
        meetings.MapPost("/", CreateAsync)
            .AddEndpointFilter(MeetingCreationAccess.RequireOrganiser)
            .RequireRateLimiting(MeetingCreationAccess.RateLimitPolicy);
        meetings.MapGet("/{meetingId}/export", ExportJsonAsync);
        meetings.MapGet("/{meetingId}/export/chat.csv", (string meetingId, HttpContext context, ExportService export) =>
            ExportCsvAsync(meetingId, context, export, MeetingRecordCsv.Chat, "chat"));
        meetings.MapGet("/{meetingId}/export/polls.csv", (string meetingId, HttpContext context, ExportService export) =>
            ExportCsvAsync(meetingId, context, export, MeetingRecordCsv.Polls, "polls"));
        meetings.MapGet("/{meetingId}/export/questions.csv", (string meetingId, HttpContext context, ExportService export) =>
            ExportCsvAsync(meetingId, context, export, MeetingRecordCsv.Questions, "questions"));
        meetings.MapGet("/{meetingId}/export/speakers.csv", (string meetingId, HttpContext context, ExportService export) =>
            ExportCsvAsync(meetingId, context, export, MeetingRecordCsv.Speakers, "speakers"));
        meetings.MapGet("/{meetingId}/export/rooms.csv", (string meetingId, HttpContext context, ExportService export) =>
            ExportCsvAsync(meetingId, context, export, MeetingRecordCsv.RoomChats, "rooms"));
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(CreateMeetingRequest? request, MeetingService meetings, CancellationToken cancellationToken)
    {
        var created = await meetings.CreateAsync(request, cancellationToken);
        return Results.Created($"/api/meetings/{created.MeetingId}", created);
    }

    private static async Task<IResult> ExportJsonAsync(string meetingId, HttpContext context, ExportService export) =>
        Results.Ok(await export.GetRecordAsync(meetingId, context.Request.Headers[ModeratorKeyHeader], context.RequestAborted));

    private static async Task<IResult> ExportCsvAsync(string meetingId, HttpContext context, ExportService export, Func<MeetingRecord, string> format, string part)
    {
        var record = await export.GetRecordAsync(meetingId, context.Request.Headers[ModeratorKeyHeader], context.RequestAborted);
        return Results.File(Encoding.UTF8.GetBytes(format(record)), "text/csv; charset=utf-8", $"meeting-{record.MeetingId}-{part}.csv");
    }
}
