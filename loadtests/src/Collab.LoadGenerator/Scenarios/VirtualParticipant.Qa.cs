using Collab.Conferencing.Client;
using Collab.Conferencing.Qa;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Collab.LoadGenerator.Scenarios;

/// <summary>Q&amp;A (qa-burst): upvote each question the first time it arrives, retrying through drops (an upvote is idempotent).</summary>
internal sealed partial class VirtualParticipant
{
    private readonly HashSet<string> _questionsSeen = new(StringComparer.Ordinal);

    private void OnQuestion(QuestionView question)
    {
        _stats.Qa.Pushed();
        if (IsModerator)
        {
            return;
        }

        lock (_gate)
        {
            if (!_questionsSeen.Add(question.QuestionId))
            {
                return;
            }
        }

        if (_stats.Qa.AskStartedAt.TryGetValue(question.Text, out var askedAt))
        {
            _stats.Qa.SeenLatencies.Add(_stats.NowMilliseconds - askedAt);
        }

        _ = UpvoteAsync(question.QuestionId);
    }

    private async Task UpvoteAsync(string questionId)
    {
        var uncertain = false;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            try
            {
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await WaitConnectedAsync(patience.Token);
                await Connection.UpvoteQuestionAsync(questionId);
                _stats.Qa.Upvoted(questionId);
                if (uncertain)
                {
                    _stats.Qa.UncertainUpvotes.AddOrUpdate(questionId, 0, (_, count) => count - 1);
                }

                return;
            }
            catch (HubException refused)
            {
                // A definite refusal (rate limited past its retries, the meeting over): nothing was counted.
                _stats.Error("upvote", refused);
                return;
            }
            catch (Exception)
            {
                // The link dropped mid-call: the upvote may or may not be stored; a retry never adds a second one.
                if (!uncertain)
                {
                    uncertain = true;
                    _stats.Qa.UncertainUpvotes.AddOrUpdate(questionId, 1, (_, count) => count + 1);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200 * (attempt + 1)));
            }
        }
    }
}
