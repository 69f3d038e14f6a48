using System.Globalization;
using System.Text;

namespace Collab.Conferencing.Export;

/// <summary>
/// CSV (RFC 4180, CRLF) views of a meeting record. Cells that a spreadsheet would run as a formula
/// (=, +, -, @ first) get a leading apostrophe.
/// </summary>
public static class MeetingRecordCsv
{
    /// <summary>One row per retained message; a message a moderator deleted has <c>deleted</c> true and no text.</summary>
    public static string Chat(MeetingRecord record)
    {
        var csv = new StringBuilder();
        Row(csv, "sequence", "sent_at_utc", "participant_id", "display_name", "text", "deleted");
        foreach (var message in record.Chat)
        {
            Row(csv, Number(message.Sequence), Time(message.SentAtUnixMs), message.ParticipantId, message.DisplayName, message.Text, Bool(message.Deleted));
        }

        return csv.ToString();
    }

    /// <summary>One row per retained message of every discussion room (rooms in creation order, then by the room's sequence).</summary>
    public static string RoomChats(MeetingRecord record)
    {
        var csv = new StringBuilder();
        Row(csv, "room_id", "room_name", "sequence", "sent_at_utc", "participant_id", "display_name", "text", "deleted");
        foreach (var room in record.Rooms ?? [])
        {
            foreach (var message in room.Chat)
            {
                Row(csv, room.RoomId, room.Name, Number(message.Sequence), Time(message.SentAtUnixMs), message.ParticipantId, message.DisplayName, message.Text, Bool(message.Deleted));
            }
        }

        return csv.ToString();
    }

    /// <summary>One row per poll option: its votes, and for named polls who chose it.</summary>
    public static string Polls(MeetingRecord record)
    {
        var csv = new StringBuilder();
        Row(csv, "poll_id", "question", "state", "multiple_choice", "anonymous", "voters", "option_index", "option", "votes", "chosen_by");
        foreach (var result in record.Polls)
        {
            var poll = result.Poll;
            for (var index = 0; index < poll.Options.Count; index++)
            {
                var chosenBy = result.Ballots is null
                    ? string.Empty
                    : string.Join("; ", result.Ballots.Where(ballot => ballot.OptionIndexes.Contains(index)).Select(ballot => ballot.DisplayName));
                Row(csv, poll.PollId, poll.Question, poll.State.ToString().ToLowerInvariant(), Bool(poll.MultipleChoice), Bool(poll.Anonymous),
                    Number(poll.Tally.Voters), Number(index), poll.Options[index], Number(poll.Tally.Counts[index]), chosenBy);
            }
        }

        return csv.ToString();
    }

    /// <summary>One row per question, in ask order: its upvotes and state; an anonymous one has no participant or name.</summary>
    public static string Questions(MeetingRecord record)
    {
        var csv = new StringBuilder();
        Row(csv, "question_id", "number", "asked_at_utc", "participant_id", "display_name", "anonymous", "text", "upvotes", "answered", "hidden", "highlighted");
        foreach (var question in record.Questions)
        {
            Row(csv, question.QuestionId, Number(question.Number), Time(question.AskedAtUnixMs), question.AuthorId ?? string.Empty, question.DisplayName ?? string.Empty,
                Bool(question.Anonymous), question.Text, Number(question.Votes), Bool(question.Answered), Bool(question.Hidden), Bool(question.Highlighted));
        }

        return csv.ToString();
    }

    /// <summary>One row per person who held the floor: turns and speaking time (a running turn counts up to the export).</summary>
    public static string Speakers(MeetingRecord record)
    {
        var csv = new StringBuilder();
        Row(csv, "participant_id", "display_name", "turns", "speaking_ms", "speaking_time", "speaking_now");
        foreach (var speaker in record.Speakers)
        {
            Row(csv, speaker.ParticipantId, speaker.DisplayName, Number(speaker.Turns), Number(speaker.TotalMs),
                TimeSpan.FromMilliseconds(speaker.TotalMs).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture), Bool(speaker.SpeakingSinceUnixMs is not null));
        }

        return csv.ToString();
    }

    private static void Row(StringBuilder csv, params string[] cells)
    {
        csv.AppendJoin(',', cells.Select(Escape)).Append("\r\n");
    }

    private static string Escape(string cell)
    {
        if (cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@')
        {
            cell = "'" + cell;
        }

        return cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
