using Collab.Conferencing.Qa;
using Collab.Conferencing.Identity;
using Collab.Conferencing.Services;
using Collab.Conferencing.Stores;

namespace Collab.Conferencing.Export;

/// <summary>Builds a meeting's record for a caller holding its moderator key.</summary>
public sealed class ExportService(IMeetingStore meetings, IChatStore chat, IPollStore polls, PollService pollService, Qa.IQuestionStore questions, Speakers.ISpeakerStore speakers, TimeProvider time)
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

        var messages = new List<Model.ChatMessage>();
        var truncated = false;
        long after = 0;
        while (true)
        {
            var page = await chat.GetAfterAsync(id, after, PageSize, cancellationToken);
            truncated |= page.Truncated && after == 0;
            messages.AddRange(page.Messages);
            if (!page.HasMore || page.Messages.Count == 0)
            {
                break;
            }

            after = page.Messages[^1].Sequence;
        }

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
        return new MeetingRecord(meeting.Id, meeting.Title, meeting.CreatedAtUnixMs, meeting.EndedAtUnixMs, messages, truncated, results, asked) { Speakers = spoke };
    }
}
