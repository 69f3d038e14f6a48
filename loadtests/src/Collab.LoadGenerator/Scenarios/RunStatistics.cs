using System.Collections.Concurrent;
using System.Diagnostics;

namespace Collab.LoadGenerator.Scenarios;

/// <summary>What every virtual participant observed, shared and thread-safe; the run's results are computed from it.</summary>
internal sealed class RunStatistics
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<long, long> _chatSentAt = new();
    private readonly ConcurrentDictionary<(int Participant, long Sequence), int> _chatDeliveries = new();
    private readonly ConcurrentBag<double> _chatLatencies = [];
    private readonly ConcurrentBag<double> _reconnectSeconds = [];
    private long _audioPackets;
    private long _audioLost;
    private long _votes;
    private long _errors;

    public double NowMilliseconds => _clock.Elapsed.TotalMilliseconds;

    public ConcurrentDictionary<string, int> ExpectedTallies { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> FinalTallies { get; } = new(StringComparer.Ordinal);

    /// <summary>Per poll: vote calls cut off mid-flight and never confirmed since (the ballot may or may not be stored).</summary>
    public ConcurrentDictionary<string, int> UncertainVotes { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, string> Failures { get; } = new(StringComparer.Ordinal);

    public int Participants { get; set; }

    public IReadOnlyCollection<long> ChatSequencesSent => [.. _chatSentAt.Keys];

    public void ChatSent(long sequence, double sentAtMilliseconds) => _chatSentAt[sequence] = (long)sentAtMilliseconds;

    /// <summary>Records one delivery (a push or a catch-up page) of a chat sequence to a participant.</summary>
    public void ChatDelivered(int participant, long sequence, bool live)
    {
        var count = _chatDeliveries.AddOrUpdate((participant, sequence), 1, (_, previous) => previous + 1);
        if (count == 1 && live && _chatSentAt.TryGetValue(sequence, out var sentAt))
        {
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

    public void AudioReceived(int packets, int lost)
    {
        Interlocked.Add(ref _audioPackets, packets);
        Interlocked.Add(ref _audioLost, lost);
    }

    public long Votes => Interlocked.Read(ref _votes);

    public long Errors => Interlocked.Read(ref _errors);

    public long AudioPackets => Interlocked.Read(ref _audioPackets);

    public long AudioLost => Interlocked.Read(ref _audioLost);

    public IReadOnlyList<double> ChatLatencies => [.. _chatLatencies.Order()];

    public IReadOnlyList<double> ReconnectSeconds => [.. _reconnectSeconds.Order()];

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

    public static double Percentile(IReadOnlyList<double> sorted, double percentile) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(percentile * sorted.Count))];
}
