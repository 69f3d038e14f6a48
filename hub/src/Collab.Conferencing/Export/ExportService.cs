using Collab.Conferencing.Qa;
using Collab.Conferencing.Identity;
using Collab.Conferencing.Chat;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Export;

/// <summary>Builds a meeting's record for a caller holding its moderator key.</summary>
public sealed class ExportService(IMeetingStore meetings, IChatStore chat, IPollStore polls, PollService pollService, Qa.IQuestionStore questions, Speakers.ISpeakerStore speakers, Rooms.IRoomStore rooms, TimeProvider time)
{
    private const int PageSize = 500;

    public async Task<MeetingRecord> GetRecordAsync(string? meetingId, string? moderatorKey, CancellationToken cancellationToken = default)
    {
        var id = Inputs.Id(meetingId, "meetingId");
        var meeting = await meetings.GetAsync(id, cancellationToken) ?? throw ConferencingException.NotFound($"No meeting has the id '{id}'.");
        if (string.IsNullOrEmpty(moderatorKey) || !SecretCodes.SecretEquals(meeting.ModeratorKeyHash, SecretCodes.HashModeratorKey(moderatorKey)))
        {
            throw ConferencingException.Forbidden("Exporting a meeting requires its moderator key.");
        }

        var (messages, truncated) = await ReadChatAsync(id, cancellationToken);

        var results = new List<PollResult>();
        foreach (var view in await pollService.GetViewsAsync(id, moderator: true, cancellationToken))
        {
            List<NamedBallot>? named = null;
            if (!view.Anonymous)
            {
                named = [];
                foreach (var ballot in await polls.GetBallotsAsync(id, view.PollId, cancellationToken))
                {
                    var participant = await meetings.GetParticipantAsync(id, ballot.ParticipantId, cancellationToken);
                    named.Add(new NamedBallot(ballot.ParticipantId, participant?.DisplayName ?? string.Empty, ballot.OptionIndexes));
                }
            }

            results.Add(new PollResult(view, named));
        }

        var asked = (await questions.ListAsync(id, cancellationToken)).Select(Qa.QuestionView.Of).ToList();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var spoke = (await speakers.GetAsync(id, cancellationToken)).Times
            .Select(entry => entry.SpeakingSinceUnixMs is { } since ? entry with { TotalMs = entry.TotalMs + Math.Max(0, now - since) } : entry)
            .ToList();
        var transcripts = new List<RoomTranscript>();
        foreach (var room in (await rooms.GetAsync(id, cancellationToken)).Rooms)
        {
            var (roomChat, roomTruncated) = await ReadChatAsync(Rooms.RoomScopes.Of(id, room.RoomId), cancellationToken);
            transcripts.Add(new RoomTranscript(room.RoomId, room.Name, room.Open, room.CreatedBy, room.CreatedAtUnixMs, room.ClosedAtUnixMs, roomChat, roomTruncated));
        }

        return new MeetingRecord(meeting.Id, meeting.Title, meeting.CreatedAtUnixMs, meeting.EndedAtUnixMs, messages, truncated, results, asked, transcripts) { Speakers = spoke };
    }

    /// <summary>A scope's retained chat (the main room's or a discussion room's), in sequence order.</summary>
    private async Task<(List<Chat.ChatMessage> Messages, bool Truncated)> ReadChatAsync(string scopeId, CancellationToken cancellationToken)
    {
        var messages = new List<Chat.ChatMessage>();
        var truncated = false;
        long after = 0;
        while (true)
        {
            var page = await chat.GetAfterAsync(scopeId, after, PageSize, cancellationToken);
            truncated |= page.Truncated && after == 0;
            messages.AddRange(page.Messages);
            if (!page.HasMore || page.Messages.Count == 0)
            {
                break;
            }

            after = page.Messages[^1].Sequence;
        }

        return (messages, truncated);
    }
}
