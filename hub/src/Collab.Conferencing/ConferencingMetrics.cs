using System.Diagnostics.Metrics;

namespace Collab.Conferencing;

/// <summary>The hub's instruments. The load generator reports the same names.</summary>
public sealed class ConferencingMetrics
{
    public const string MeterName = "Collab.Conferencing";

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _meetingsCreated;
    private readonly Counter<long> _joins;
    private readonly Counter<long> _chatMessages;
    private readonly Counter<long> _votes;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _tallyPushes;
    private readonly Counter<long> _pushesFailed;

    public ConferencingMetrics(IMeterFactory meterFactory)
    {
        // The factory owns (and disposes) the meters it creates.
        _meter = meterFactory.Create(MeterName);
        var meter = _meter;
        _connections = meter.CreateUpDownCounter<long>("collab.connections", "{connection}", "Open hub connections on this node.");
        _meetingsCreated = meter.CreateCounter<long>("collab.meetings.created", "{meeting}", "Meetings created.");
        _joins = meter.CreateCounter<long>("collab.meetings.joins", "{join}", "Successful joins, by role and whether they resumed.");
        _chatMessages = meter.CreateCounter<long>("collab.chat.messages", "{message}", "Chat messages accepted (duplicates not counted).");
        _votes = meter.CreateCounter<long>("collab.polls.votes", "{ballot}", "Ballots accepted (including changed votes).");
        _rejected = meter.CreateCounter<long>("collab.calls.rejected", "{call}", "Hub calls refused, by error code.");
        _tallyPushes = meter.CreateCounter<long>("collab.polls.tally_pushes", "{push}", "Live tally pushes after coalescing.");
        _pushesFailed = meter.CreateCounter<long>("collab.pushes.failed", "{push}", "Pushes to clients that failed (logged, never failing the call), by push.");
    }

    public void ConnectionOpened() => _connections.Add(1);

    public void ConnectionClosed() => _connections.Add(-1);

    public void MeetingCreated() => _meetingsCreated.Add(1);

    // Tags only from small fixed sets (a role, a flag, an error code), never an id. The tagged instruments check
    // Enabled first: building the tags (and boxing the flag) costs work while nobody listens.
    public void Joined(string role, bool resumed)
    {
        if (_joins.Enabled)
        {
            _joins.Add(1, new("role", role), new("resumed", resumed));
        }
    }

    public void ChatMessageAccepted() => _chatMessages.Add(1);

    public void VoteAccepted() => _votes.Add(1);

    public void CallRejected(string code)
    {
        if (_rejected.Enabled)
        {
            _rejected.Add(1, new KeyValuePair<string, object?>("error", code));
        }
    }

    public void TallyPushed() => _tallyPushes.Add(1);

    /// <summary><paramref name="push"/> is one of the pushes' fixed names ("chat message", "floor"...), never an id.</summary>
    public void PushFailed(string push)
    {
        if (_pushesFailed.Enabled)
        {
            _pushesFailed.Add(1, new KeyValuePair<string, object?>("push", push));
        }
    }
}
