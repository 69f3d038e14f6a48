using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Qa;

/// <summary>Pushes Q&amp;A changes to a meeting's members on every node (the host implements it over SignalR). Best effort, as <see cref="IMeetingNotifier"/>.</summary>
public interface IQaNotifier
{
    /// <summary>A question was asked or changed; a hidden one goes to the moderators only (<paramref name="audience"/>).</summary>
    Task QuestionUpdatedAsync(string meetingId, QuestionView question, PresenceAudience audience, CancellationToken cancellationToken = default);

    /// <summary>To everyone: a question was hidden (moderators also get its <c>QuestionUpdated</c>).</summary>
    Task QuestionRemovedAsync(string meetingId, QuestionRemovedView removed, CancellationToken cancellationToken = default);

    Task QaSettingsUpdatedAsync(string meetingId, QaSettings settings, CancellationToken cancellationToken = default);
}
