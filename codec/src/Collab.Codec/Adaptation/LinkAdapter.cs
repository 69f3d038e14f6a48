using Collab.Codec.Profiles;

namespace Collab.Codec.Adaptation;

/// <summary>
/// Picks a voice profile from link reports. Deterministic: its decisions depend only on the reports, their times and
/// its own state. Loss is smoothed with a fast attack and a slow release, so one bad report moves the estimate
/// halfway and a good one only a little; downgrades are immediate and may skip rungs;
/// upgrades climb one rung at a time, only after the better rung has stayed affordable for the upgrade hold, and the
/// hold doubles whenever an upgrade is undone within the flap window, so a marginal link does not flap. A measured
/// uplink capacity bounds every rung's wire cost until it is older than the capacity memory, so the adapter does not
/// climb back into a rate the link has shown it cannot carry; a send backlog counts as congestion only when it
/// persists over several reports (a TCP retransmission stall lasts one), and then caps the rate once, at 70 % of the
/// rung in use when it began, until it clears.
/// </summary>
public sealed class LinkAdapter
{
    private readonly LinkAdapterOptions _options;
    private double _smoothedLoss;
    private double _smoothedBurst;
    private bool _hasEstimate;
    private TimeSpan? _betterSince;
    private TimeSpan? _lastUpgradeAt;
    private TimeSpan _hold;
    private double? _capacity;
    private TimeSpan _capacityAt;
    private int _backloggedReports;
    private double? _congestionCeiling;

    public LinkAdapter(LinkAdapterOptions? options = null, VoiceProfile? initial = null)
    {
        _options = options ?? new LinkAdapterOptions();
        _hold = _options.UpgradeHold;
        Current = initial ?? ProfileLadder.Default;
        ExpectedLossPercent = Current.ExpectedLossPercent;
    }

    public VoiceProfile Current { get; private set; }

    public int ExpectedLossPercent { get; private set; }

    /// <summary>The current upgrade hold (grows after failed upgrades).</summary>
    public TimeSpan UpgradeHold => _hold;

    /// <summary>Takes one report made at <paramref name="now"/> (any monotonic clock) and decides.</summary>
    public LinkDecision Update(LinkReport report, TimeSpan now)
    {
        var loss = Math.Clamp(Math.Max(report.LossFraction, report.LateFraction), 0, 1);
        var confidence = report.PacketCount is { } packets ? Math.Clamp(packets / (double)_options.FullConfidencePackets, 0, 1) : 1;
        _smoothedLoss = Smooth(_smoothedLoss, loss, confidence);
        if (report.MeanLossBurstMilliseconds > 0 || loss == 0)
        {
            // An interval without loss says nothing about burst length: keep the last estimate.
            _smoothedBurst = loss == 0 ? _smoothedBurst : Smooth(_smoothedBurst, report.MeanLossBurstMilliseconds, confidence);
        }

        _hasEstimate = true;
        var link = new LinkState(
            _smoothedLoss,
            _smoothedLoss > 0 ? _smoothedBurst : 0,
            MinFrameMilliseconds(report.RoundTripMilliseconds),
            BudgetKilobitsPerSecond(report, now));
        var currentRank = RungTolerance.RankOf(Current);

        if (!link.Fits(RungTolerance.ByPreference[currentRank]))
        {
            if (_lastUpgradeAt is { } upgradedAt && now - upgradedAt < _options.FlapWindow)
            {
                _hold = TimeSpan.FromTicks(Math.Min(_hold.Ticks * 2, _options.MaxUpgradeHold.Ticks));
            }

            _betterSince = null;
            _lastUpgradeAt = null;
            return Switch(Choose(link).Profile, $"the link no longer fits {Current.Name}: {link}");
        }

        RelaxHold(now);
        var better = RungTolerance.ByPreference.Take(currentRank).LastOrDefault(link.Fits);
        if (better is null)
        {
            _betterSince = null;
            return Switch(Current, $"hold: {Current.Name} is the best rung that fits ({link})");
        }

        _betterSince ??= now;
        if (now - _betterSince.Value < _hold)
        {
            return Switch(Current, $"{better.Profile.Name} would fit; waiting {(_hold - (now - _betterSince.Value)).TotalSeconds:0.#} s more");
        }

        _betterSince = null;
        _lastUpgradeAt = now;
        return Switch(better.Profile, $"upgrade one rung after {_hold.TotalSeconds:0} s of a better link ({link})");
    }

    private double Smooth(double estimate, double sample, double confidence)
    {
        var weight = !_hasEstimate ? 1.0 : confidence * (sample > estimate ? _options.LossAttack : _options.LossRelease);
        return estimate + (weight * (sample - estimate));
    }

    private static RungTolerance Choose(LinkState link)
    {
        var affordable = RungTolerance.ByPreference.Where(link.Affords).ToList();

        // When no affordable rung is rated for this loss, the best protected affordable one is the least bad.
        return affordable.FirstOrDefault(link.Fits)
            ?? affordable.OrderByDescending(rung => rung.Profile.RedundantFrames).ThenByDescending(rung => rung.Profile.InbandFec).FirstOrDefault()
            ?? RungTolerance.ByPreference[^1];
    }

    private int MinFrameMilliseconds(double roundTripMilliseconds) =>
        roundTripMilliseconds >= _options.VeryLongRoundTripMilliseconds ? 60
        : roundTripMilliseconds >= _options.LongRoundTripMilliseconds ? 40
        : 20;

    /// <summary>The wire rate the link affords now: the remembered capacity with headroom, capped while congested.</summary>
    private double BudgetKilobitsPerSecond(LinkReport report, TimeSpan now)
    {
        if (report.AvailableKilobitsPerSecond is { } available && double.IsFinite(available) && available > 0)
        {
            _capacity = available;
            _capacityAt = now;
        }
        else if (_capacity is not null && now - _capacityAt >= _options.CapacityMemory)
        {
            _capacity = null;
        }

        _backloggedReports = report.SendBacklogMilliseconds > _options.CongestionBacklogMilliseconds ? _backloggedReports + 1 : 0;
        if (_backloggedReports < _options.CongestionReports)
        {
            _congestionCeiling = null;
        }
        else
        {
            // Once per episode: the queue takes a while to drain after the step down, and cutting again on every
            // report of it would walk the speaker down to the bottom rung.
            _congestionCeiling ??= Current.NominalWireKilobitsPerSecond * 0.7;
        }

        var budget = _capacity is { } capacity ? capacity * _options.BandwidthHeadroom : double.MaxValue;
        return Math.Min(budget, _congestionCeiling ?? double.MaxValue);
    }

    private void RelaxHold(TimeSpan now)
    {
        if (_lastUpgradeAt is { } upgradedAt && now - upgradedAt >= _options.FlapWindow)
        {
            _hold = _options.UpgradeHold;
            _lastUpgradeAt = null;
        }
    }

    private LinkDecision Switch(VoiceProfile profile, string reason)
    {
        var changed = profile.Id != Current.Id;
        Current = profile;
        // Redundancy already covers the loss: telling the encoder to plan for all of it would only cost quality.
        ExpectedLossPercent = profile.RedundantFrames > 0
            ? profile.ExpectedLossPercent
            : Math.Max(profile.ExpectedLossPercent, (int)Math.Ceiling((_smoothedLoss * 100) - 1e-9));
        return new LinkDecision(profile, ExpectedLossPercent, changed, reason);
    }

    /// <summary>The smoothed view of the link one decision is made on.</summary>
    private readonly record struct LinkState(double Loss, double BurstMilliseconds, int MinFrameMilliseconds, double BudgetKilobitsPerSecond)
    {
        public bool Affords(RungTolerance rung) =>
            rung.Profile.FrameMilliseconds >= MinFrameMilliseconds && rung.Profile.NominalWireKilobitsPerSecond <= BudgetKilobitsPerSecond;

        public bool Fits(RungTolerance rung) =>
            Affords(rung) && Loss <= rung.MaxLossFraction && BurstMilliseconds <= rung.MaxBurstMilliseconds;

        public override string ToString() =>
            $"loss {Loss:P1}, burst {BurstMilliseconds:0} ms, frames ≥ {MinFrameMilliseconds} ms, budget {(BudgetKilobitsPerSecond == double.MaxValue ? "unlimited" : $"{BudgetKilobitsPerSecond:0.#} kb/s")}";
    }
}
