using Collab.Conferencing.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Polls;

/// <summary>
/// Live polls. Moderators create, open and close; participants vote while a poll is open, one ballot each (keyed by
/// participant id, so a reconnect or double click never counts twice; voting again replaces the ballot).
/// </summary>
public sealed class PollService(
    IPollStore polls,
    ConnectionRegistry registry,
    Pushes.MeetingPushes pushes,
    TallyCoalescer coalescer,
    ConferencingMetrics metrics,
    IOptions<ConferencingOptions> options,
    TimeProvider time,
    ILogger<PollService> logger)
{
    public const int MinOptions = 2;
    public const int MaxOptions = 10;

    public async Task<PollView> CreateAsync(string connectionId, CreatePollRequest? request, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var question = Inputs.Text(request?.Question, "Poll question", options.Value.MaxPollQuestionLength);
        var optionTexts = request?.Options ?? [];
        if (optionTexts.Count is < MinOptions or > MaxOptions)
        {
            throw ConferencingException.Invalid($"A poll needs {MinOptions} to {MaxOptions} options; {optionTexts.Count} were given.");
        }

        var choices = optionTexts.Select((text, index) => Inputs.Text(text, $"Option {index + 1}", options.Value.MaxPollOptionLength)).ToList();
        if (choices.Distinct(StringComparer.OrdinalIgnoreCase).Count() != choices.Count)
        {
            throw ConferencingException.Invalid("Poll options must differ from each other.");
        }

        var poll = new Poll(session.MeetingId, SecretCodes.NewPollId(), question, choices,
            request!.MultipleChoice ?? CreatePollRequest.DefaultMultipleChoice, request.Anonymous ?? CreatePollRequest.DefaultAnonymous,
            PollState.Draft, session.ParticipantId, time.GetUtcNow().ToUnixTimeMilliseconds());
        await polls.CreateAsync(poll, cancellationToken);
        var view = ToView(poll, new PollTally(poll.Id, new int[choices.Count], 0, 0, Final: false));
        await PushPollAsync(view, session.MeetingId, cancellationToken);
        return view;
    }

    /// <summary>Opens a draft poll; opening an open poll again is a no-op. A closed poll stays closed.</summary>
    public async Task<PollView> OpenAsync(string connectionId, string? pollId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var id = Inputs.Id(pollId, "pollId");
        var transition = await polls.TransitionAsync(session.MeetingId, id, PollState.Draft, PollState.Open, Now(), cancellationToken) ?? throw NotFound(id);
        if (!transition.Changed && transition.Poll.State == PollState.Closed)
        {
            throw ConferencingException.Conflict($"Poll '{id}' is closed; a closed poll cannot be reopened.");
        }

        var view = await ViewAsync(transition.Poll, cancellationToken);
        if (transition.Changed)
        {
            ConferencingLog.PollStateChanged(logger, id, session.MeetingId, nameof(PollState.Open));
            await PushPollAsync(view, session.MeetingId, cancellationToken);
        }

        return view;
    }

    /// <summary>Closes an open poll and pushes the exact final tally at once; closing a closed poll again returns it.</summary>
    public async Task<PollView> CloseAsync(string connectionId, string? pollId, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var id = Inputs.Id(pollId, "pollId");
        var transition = await polls.TransitionAsync(session.MeetingId, id, PollState.Open, PollState.Closed, Now(), cancellationToken) ?? throw NotFound(id);
        if (!transition.Changed && transition.Poll.State == PollState.Draft)
        {
            throw ConferencingException.Conflict($"Poll '{id}' was never opened; open it before closing it.");
        }

        coalescer.Complete(session.MeetingId, id);
        var view = await ViewAsync(transition.Poll, cancellationToken);
        if (transition.Changed)
        {
            ConferencingLog.PollStateChanged(logger, id, session.MeetingId, nameof(PollState.Closed));
            await PushPollAsync(view, session.MeetingId, cancellationToken);
            await pushes.PollTallyUpdatedAsync(session.MeetingId, view.Tally, cancellationToken);
        }

        return view;
    }

    public async Task<BallotView> VoteAsync(string connectionId, VoteRequest? request, CancellationToken cancellationToken = default)
    {
        var session = registry.Require(connectionId);
        var id = Inputs.Id(request?.PollId, "pollId");
        var poll = await polls.GetAsync(session.MeetingId, id, cancellationToken) is { } found && IsVisibleTo(found, session) ? found : throw NotFound(id);
        var chosen = ValidateChoice(poll, request?.OptionIndexes);
        var outcome = await polls.CastAsync(session.MeetingId, id, new Ballot(session.ParticipantId, chosen), cancellationToken);
        switch (outcome)
        {
            case CastOutcome.PollNotFound:
                throw NotFound(id);
            case CastOutcome.PollNotOpen:
                var state = (await polls.GetAsync(session.MeetingId, id, cancellationToken))?.State ?? poll.State;
                throw ConferencingException.Conflict($"Poll '{id}' is not open for voting (it is {state.ToString().ToLowerInvariant()}).");
        }

        metrics.VoteAccepted();
        coalescer.BallotRecorded(session.MeetingId, id, poll.Options.Count);
        return new BallotView(id, chosen);
    }

    /// <summary>The polls as an array (see <see cref="MeetingService.GetParticipantsAsync"/> for why not a list).</summary>
    public async Task<PollView[]> GetPollsAsync(string connectionId, CancellationToken cancellationToken = default) =>
        [.. await GetViewsAsync(registry.Require(connectionId), cancellationToken)];

    /// <summary>The polls the session may see: drafts only for moderators.</summary>
    internal Task<IReadOnlyList<PollView>> GetViewsAsync(Session session, CancellationToken cancellationToken) =>
        GetViewsAsync(session.MeetingId, session.IsModerator, cancellationToken);

    /// <summary>Every poll of the meeting, drafts included when <paramref name="moderator"/> (the export is the moderators').</summary>
    internal async Task<IReadOnlyList<PollView>> GetViewsAsync(string meetingId, bool moderator, CancellationToken cancellationToken)
    {
        var views = new List<PollView>();
        foreach (var poll in await polls.ListAsync(meetingId, cancellationToken))
        {
            if (IsVisible(poll, moderator))
            {
                views.Add(await ViewAsync(poll, cancellationToken));
            }
        }

        return views;
    }

    /// <summary>The one rule of who sees a poll: a draft is the moderators' until it opens.</summary>
    private static bool IsVisible(Poll poll, bool moderator) => poll.State != PollState.Draft || moderator;

    private static bool IsVisibleTo(Poll poll, Session session) => IsVisible(poll, session.IsModerator);

    private Task PushPollAsync(PollView view, string meetingId, CancellationToken cancellationToken) =>
        pushes.PollUpdatedAsync(meetingId, view, view.State == PollState.Draft ? PresenceAudience.Moderators : PresenceAudience.Everyone, cancellationToken);

    /// <summary>
    /// What a join shows: the polls the session may see with their tallies, and the caller's ballots, from one read
    /// of the poll list; each poll's tally and ballot are read together.
    /// </summary>
    internal async Task<(IReadOnlyList<PollView> Views, IReadOnlyList<BallotView> Ballots)> GetForJoinAsync(Session session, CancellationToken cancellationToken)
    {
        var all = await polls.ListAsync(session.MeetingId, cancellationToken);
        var views = Task.WhenAll(all.Where(poll => IsVisibleTo(poll, session)).Select(poll => ViewAsync(poll, cancellationToken)));
        var ballots = Task.WhenAll(all.Select(async poll => await polls.GetBallotAsync(session.MeetingId, poll.Id, session.ParticipantId, cancellationToken) is { } chosen
            ? new BallotView(poll.Id, chosen)
            : null));
        return ([.. await views], [.. (await ballots).OfType<BallotView>()]);
    }

    internal async Task<IReadOnlyList<BallotView>> GetBallotsOfAsync(string meetingId, string participantId, CancellationToken cancellationToken)
    {
        var ballots = new List<BallotView>();
        foreach (var poll in await polls.ListAsync(meetingId, cancellationToken))
        {
            if (await polls.GetBallotAsync(meetingId, poll.Id, participantId, cancellationToken) is { } chosen)
            {
                ballots.Add(new BallotView(poll.Id, chosen));
            }
        }

        return ballots;
    }

    internal async Task<PollView> ViewAsync(Poll poll, CancellationToken cancellationToken) =>
        ToView(poll, await polls.GetTallyAsync(poll.MeetingId, poll.Id, poll.Options.Count, poll.State == PollState.Closed, cancellationToken));

    private static PollView ToView(Poll poll, PollTally tally) =>
        new(poll.Id, poll.Question, poll.Options, poll.MultipleChoice, poll.Anonymous, poll.State, tally);

    private static int[] ValidateChoice(Poll poll, IReadOnlyList<int>? optionIndexes)
    {
        var chosen = optionIndexes?.ToArray() ?? [];
        if (chosen.Length == 0)
        {
            throw ConferencingException.Invalid("Choose at least one option.");
        }

        if (!poll.MultipleChoice && chosen.Length > 1)
        {
            throw ConferencingException.Invalid($"Poll '{poll.Id}' is single choice; choose exactly one option.");
        }

        if (chosen.Any(index => index < 0 || index >= poll.Options.Count))
        {
            throw ConferencingException.Invalid($"Option indexes must be between 0 and {poll.Options.Count - 1}.");
        }

        if (chosen.Distinct().Count() != chosen.Length)
        {
            throw ConferencingException.Invalid("Each option may be chosen only once.");
        }

        Array.Sort(chosen);
        return chosen;
    }

    private static ConferencingException NotFound(string pollId) => ConferencingException.NotFound($"No poll '{pollId}' in this meeting.");

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
