namespace Collab.Codec.Simulation;

/// <summary>Decides whether the network loses a message sent at a given time. Deterministic for a given seed.</summary>
public interface ILossModel
{
    bool IsLost(double sendMilliseconds);
}

/// <summary>Independent (Bernoulli) loss of each message.</summary>
public sealed class RandomLoss(double lossFraction, int seed) : ILossModel
{
    private readonly Random _random = new(seed);

    public bool IsLost(double sendMilliseconds) => _random.NextDouble() < lossFraction;
}

/// <summary>
/// Two-state Gilbert model of bursty loss, stepped every 10 ms so bursts are in time, not in packets: a message is
/// lost when the channel is bad at its send time. The transition probabilities follow from the long-run loss fraction
/// and the mean burst length.
/// </summary>
public sealed class BurstLoss : ILossModel
{
    private const double StepMilliseconds = 10;
    private readonly Random _random;
    private readonly double _enterBad;
    private readonly double _leaveBad;
    private double _clock;
    private bool _bad;

    public BurstLoss(double lossFraction, double meanBurstMilliseconds, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(meanBurstMilliseconds, StepMilliseconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(lossFraction, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegative(lossFraction);
        _random = new Random(seed);
        _leaveBad = StepMilliseconds / meanBurstMilliseconds;
        _enterBad = lossFraction * _leaveBad / (1 - lossFraction);
    }

    public bool IsLost(double sendMilliseconds)
    {
        for (var steps = 0; _clock <= sendMilliseconds && steps < 1_000_000; steps++)
        {
            _bad = _bad ? _random.NextDouble() >= _leaveBad : _random.NextDouble() < _enterBad;
            _clock += StepMilliseconds;
        }

        return _bad;
    }
}
