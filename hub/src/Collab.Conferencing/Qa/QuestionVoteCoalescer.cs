using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Collab.Conferencing.Polls;
using Collab.Conferencing.Presence;
using Collab.Conferencing.Pushes;

namespace Collab.Conferencing.Qa;

/// <summary>
/// Coalesces the pushes that upvotes cause, as <see cref="TallyCoalescer"/> does for poll tallies: the first upvote
/// of a quiet question is pushed at once, later ones at most once per
/// <see cref="ConferencingOptions.TallyPushIntervalMilliseconds"/> per question on this node, each push reading the
/// question as stored (so a storm of a thousand upvotes costs a handful of pushes, the last one exact).
/// </summary>
public sealed class QuestionVoteCoalescer(
    IQuestionStore store,
    IQaNotifier notifier,
    QaMetrics metrics,
    IOptions<ConferencingOptions> options,
    TimeProvider time,
    Pushes.BestEffortPushes pushes) : IDisposable
{
    // Bounded: past this many questions, those with no push scheduled are forgotten (at worst one push comes early).
    private const int MaxTracked = 10_000;

    private readonly Dictionary<(string MeetingId, string QuestionId), PushThrottle> _questions = [];

    public void VotesChanged(string meetingId, string questionId)
    {
        var key = (meetingId, questionId);
        PushThrottle? throttle;
        lock (_questions)
        {
            if (!_questions.TryGetValue(key, out throttle))
            {
                if (_questions.Count >= MaxTracked)
                {
                    foreach (var idle in _questions.Where(entry => !entry.Value.Scheduled).Select(entry => entry.Key).ToList())
                    {
                        _questions.Remove(idle);
                    }
                }

                _questions[key] = throttle = new PushThrottle(time, TimeSpan.FromMilliseconds(options.Value.TallyPushIntervalMilliseconds));
            }

            if (!throttle.Request(() => _ = PushAsync(key, throttle)))
            {
                return;
            }
        }

        _ = PushAsync(key, throttle);
    }

    public void Dispose()
    {
        lock (_questions)
        {
            foreach (var throttle in _questions.Values)
            {
                throttle.Cancel();
            }

            _questions.Clear();
        }
    }

    private async Task PushAsync((string MeetingId, string QuestionId) key, PushThrottle throttle)
    {
        lock (_questions)
        {
            // Upvotes from here on schedule the next push; this one reads everything stored so far.
            throttle.Starting();
        }

        await pushes.RunAsync("question votes", key.MeetingId, async () =>
        {
            if (await store.GetAsync(key.MeetingId, key.QuestionId) is { } question)
            {
                await notifier.QuestionUpdatedAsync(key.MeetingId, QuestionView.Of(question), question.Hidden ? PresenceAudience.Moderators : PresenceAudience.Everyone);
                metrics.VotesPushed();
            }
        });
    }
}
