using System.Collections.Concurrent;
using System.Diagnostics;

namespace Collab.LoadGenerator.Scenarios;

/// <summary>What every virtual participant observed, shared and thread-safe; the run's results are computed from it.</summary>
internal sealed class RunStatistics(int runSeconds, int speakers)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<long, long> _chatSentAt = new();
    private readonly ConcurrentDictionary<string, double> _firstAttemptAt = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(int Participant, long Sequence), int> _chatDeliveries = new();
    private readonly ConcurrentBag<double> _chatLatencies = [];
    private readonly ConcurrentBag<double> _reconnectSeconds = [];
    private readonly ConcurrentBag<double> _joinToScreen = [];
    private long _audioPackets;
    private long _audioLost;
    private long _votes;
    private long _errors;
    private long _firstDeliveries;

    public double NowMilliseconds => _clock.Elapsed.TotalMilliseconds;

    public ConcurrentDictionary<string, int> ExpectedTallies { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> FinalTallies { get; } = new(StringComparer.Ordinal);

    /// <summary>Per poll: vote calls cut off mid-flight and never confirmed since (the ballot may or may not be stored).</summary>
    public ConcurrentDictionary<string, int> UncertainVotes { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, string> Failures { get; } = new(StringComparer.Ordinal);

    public int Participants { get; set; }

    /// <summary>The qa-burst scenario's questions and upvotes.</summary>
    public Qa.QaBurstStatistics Qa { get; } = new();

    public Speakers.SpeakersListStatistics SpeakersList { get; } = new();
    /// <summary>The roundtable's discussion rooms and their chat.</summary>
    public Rooms.RoomChatStatistics Rooms { get; } = new();

    /// <summary>Each speaker's timeline and speech, by participant id, for the listeners' relay latency, mouth-to-ear delay and STOI.</summary>
    public ConcurrentDictionary<string, SpokenAudio> Speakers { get; } = new(StringComparer.Ordinal);

    /// <summary>When the moderator opened each poll (run milliseconds): participants' open-to-seen latency counts from here.</summary>
    public ConcurrentDictionary<string, double> PollOpenedAt { get; } = new(StringComparer.Ordinal);

    /// <summary>Poll opened → a participant saw it open.</summary>
    public LatencySamples PollLatencies { get; } = new();

    /// <summary>Audio packet sent by the speaker → received by a listener (every listener).</summary>
    public LatencySamples AudioLatencies { get; } = new();

    /// <summary>A frame spoken → the same frame starting to play at a sampled listener (jitter buffer included).</summary>
    public LatencySamples MouthToEar { get; } = new();

    /// <summary>The voice figures split by the path each participant's voice took.</summary>
    public VoicePathStatistics Paths { get; } = new();

    /// <summary>STOI of each 10 s window a sampled listener played, against the speech sent.</summary>
    public ConcurrentBag<double> IntelligibilityScores { get; } = [];

    /// <summary>Audio packets heard by all listeners, per second of the run.</summary>
    public PerSecond AudioHeardPerSecond { get; } = new(runSeconds);

    /// <summary>Audio packets missing on arrival (before recovery), per second.</summary>
    public PerSecond AudioLostPerSecond { get; } = new(runSeconds);

    /// <summary>Frames the sampled listeners played, and of those the ones concealed (after recovery), per second.</summary>
    public PerSecond FramesPlayedPerSecond { get; } = new(runSeconds);

    public PerSecond FramesConcealedPerSecond { get; } = new(runSeconds);

    /// <summary>Bytes each speaker published, per second (its bitrate over time).</summary>
    public PerSecond[] SpeakerBytesPerSecond { get; } = [.. Enumerable.Range(0, speakers).Select(_ => new PerSecond(runSeconds))];

    /// <summary>Every profile switch a speaker's link adapter made: (seconds into the run, speaker, profile, nominal kb/s).</summary>
    public ConcurrentQueue<ProfileChange> ProfileChanges { get; } = new();

    public IReadOnlyCollection<long> ChatSequencesSent => [.. _chatSentAt.Keys];

    /// <summary>A message is about to be sent for the first time (its latency counts from here, retries included).</summary>
    public void ChatAttempted(string clientMessageId) => _firstAttemptAt.TryAdd(clientMessageId, NowMilliseconds);

    /// <summary>The hub acknowledged a message: it must now reach everyone.</summary>
    public void ChatSent(long sequence, string clientMessageId) =>
        _chatSentAt[sequence] = (long)_firstAttemptAt.GetValueOrDefault(clientMessageId, NowMilliseconds);

    /// <summary>Records one delivery (a push or a catch-up page) of a chat message to a participant.</summary>
    public void ChatDelivered(int participant, long sequence, string clientMessageId, bool live)
    {
        var count = _chatDeliveries.AddOrUpdate((participant, sequence), 1, (_, previous) => previous + 1);
        if (count == 1)
        {
            Interlocked.Increment(ref _firstDeliveries);
        }

        if (count == 1 && live && _firstAttemptAt.TryGetValue(clientMessageId, out var sentAt))
        {
            // A push can overtake the sender's acknowledgement, so latency is keyed by the client message id.
            _chatLatencies.Add(NowMilliseconds - sentAt);
        }
    }

    public void Vote() => Interlocked.Increment(ref _votes);

    public void Error(string what, Exception exception)
    {
        Interlocked.Increment(ref _errors);
        Failures.TryAdd(what, exception.Message);
    }

    public void Reconnected(double seconds) => _reconnectSeconds.Add(seconds);

    /// <summary>From invoking Join to having everything the meeting screen shows (history, floor, polls, who is here).</summary>
    public void JoinedScreen(double milliseconds) => _joinToScreen.Add(milliseconds);

    public IReadOnlyList<double> JoinToScreenMilliseconds => [.. _joinToScreen.Order()];

    private long _framesDecoded;
    private long _framesRecovered;
    private long _framesConcealed;
    private long _framesLate;
    private long _framesStalled;

    /// <summary>A sampled listener's played frames for one speaker (after loss recovery and concealment), and its stalled frames (not played on time).</summary>
    public void AudioPlayed(long decoded, long recovered, long concealed, long late, long stalled)
    {
        Interlocked.Add(ref _framesStalled, stalled);
        Interlocked.Add(ref _framesDecoded, decoded);
        Interlocked.Add(ref _framesRecovered, recovered);
        Interlocked.Add(ref _framesConcealed, concealed);
        Interlocked.Add(ref _framesLate, late);
    }

    public PlayoutCounts Playout =>
        new(Interlocked.Read(ref _framesDecoded), Interlocked.Read(ref _framesRecovered), Interlocked.Read(ref _framesConcealed), Interlocked.Read(ref _framesLate), Interlocked.Read(ref _framesStalled));

    public void AudioReceived(int packets, int lost)
    {
        Interlocked.Add(ref _audioPackets, packets);
        Interlocked.Add(ref _audioLost, lost);
        var now = NowMilliseconds;
        AudioHeardPerSecond.Add(now, packets);
        AudioLostPerSecond.Add(now, lost);
    }

    /// <summary>A participant saw a poll open.</summary>
    public void PollSeen(string pollId)
    {
        if (PollOpenedAt.TryGetValue(pollId, out var openedAt))
        {
            PollLatencies.Add(NowMilliseconds - openedAt);
        }
    }

    public long Votes => Interlocked.Read(ref _votes);

    public long Errors => Interlocked.Read(ref _errors);

    public long AudioPackets => Interlocked.Read(ref _audioPackets);

    public long AudioLost => Interlocked.Read(ref _audioLost);

    public IReadOnlyList<double> ChatLatencies => [.. _chatLatencies.Order()];

    public IReadOnlyList<double> ReconnectSeconds => [.. _reconnectSeconds.Order()];

    /// <summary>
    /// Chat so far, cheaply (for progress): every participant should get each acknowledged message; deliveries count
    /// each (participant, message) once. The exact accounting is <see cref="ChatCompleteness"/>.
    /// </summary>
    public (long Expected, long Delivered) ChatSoFar => ((long)_chatSentAt.Count * Participants, Interlocked.Read(ref _firstDeliveries));

    /// <summary>Chat deliveries by (participant, sequence) for every message sent during the run.</summary>
    public (long Expected, long Delivered, long Duplicated) ChatCompleteness()
    {
        long expected = 0, delivered = 0, duplicated = 0;
        foreach (var sequence in _chatSentAt.Keys)
        {
            for (var participant = 0; participant < Participants; participant++)
            {
                expected++;
                if (_chatDeliveries.TryGetValue((participant, sequence), out var count))
                {
                    delivered++;
                    duplicated += count - 1;
                }
            }
        }

        return (expected, delivered, duplicated);
    }
}
