using System.Globalization;

namespace Collab.LoadGenerator.Baseline;

/// <summary>The same fan-out and the same idle load on the bare hub and on the Collab hub, and how they compare.</summary>
internal sealed record BaselineResult(FanOutResult? BareFanOut, FanOutResult? CollabFanOut, IdleResult? BareIdle, IdleResult? CollabIdle)
{
    public const double CpuPerDeliveryMaxRatio = 1.2;
    public const double LatencyP99MaxRatio = 1.2;
    public const double IdleMemoryMaxRatio = 1.5;

    /// <summary>What the connections themselves hold (after a full collection: resident, and as live heap), against the bare hub's.</summary>
    public const double IdleCollectedMemoryMaxRatio = 1.3;

    public IReadOnlyList<BaselineFigure> Figures
    {
        get
        {
            List<BaselineFigure> figures = [];
            if (BareFanOut is { } bare && CollabFanOut is { } collab)
            {
                figures.Add(new("fan-out delivered (%)", bare.DeliveredFraction * 100, collab.DeliveredFraction * 100, "0.000", "100 %", collab.AllDelivered, HasRatio: false));
                figures.Add(new("deliveries/s", bare.DeliveriesPerSecond, collab.DeliveriesPerSecond, "N0"));
                figures.Add(BaselineFigure.AtMost("server CPU/delivery (µs)", bare.ServerCpuMicrosecondsPerDelivery, collab.ServerCpuMicrosecondsPerDelivery, "0.0", CpuPerDeliveryMaxRatio));
                figures.Add(new("latency p50 (ms)", bare.LatencyP50Milliseconds, collab.LatencyP50Milliseconds, "0.0"));
                figures.Add(BaselineFigure.AtMost("latency p99 (ms)", bare.LatencyP99Milliseconds, collab.LatencyP99Milliseconds, "0.0", LatencyP99MaxRatio));
                figures.Add(new("server CPU in window (s)", bare.ServerCpuSeconds, collab.ServerCpuSeconds, "0.00"));
                figures.Add(new("client CPU/delivery (µs)", bare.ClientCpuMicrosecondsPerDelivery, collab.ClientCpuMicrosecondsPerDelivery, "0.0"));
                figures.Add(new("others' CPU, approx. (s)", bare.OtherCpuSeconds, collab.OtherCpuSeconds, "0.00", HasRatio: false));
                if (bare.Gc is { } bareGc && collab.Gc is { } collabGc)
                {
                    figures.Add(new("allocated/delivery (B)", bare.AllocatedBytesPerDelivery ?? 0, collab.AllocatedBytesPerDelivery ?? 0, "N0"));
                    figures.Add(new("GCs in window", bareGc.Collections, collabGc.Collections, "N0"));
                    figures.Add(new("gen1 + gen2 GCs in window", bareGc.Gen1 + bareGc.Gen2, collabGc.Gen1 + collabGc.Gen2, "N0", HasRatio: false));
                    figures.Add(new("GC pause total (ms)", bareGc.PauseTotalMs, collabGc.PauseTotalMs, "0.0"));
                    figures.Add(new("GC pause longest (ms)", bareGc.PauseMaxMs, collabGc.PauseMaxMs, "0.0"));
                }

                figures.Add(new("fan-out peak RSS (MB)", bare.PeakResidentBytes / 1_048_576.0, collab.PeakResidentBytes / 1_048_576.0, "0"));
                figures.Add(new("fan-out join phase (s)", bare.ConnectSeconds, collab.ConnectSeconds, "0.0"));
            }

            if (BareIdle is { } bareIdle && CollabIdle is { } collabIdle)
            {
                figures.Add(BaselineFigure.AtMost("idle memory/conn. (KB)", bareIdle.BytesPerConnection / 1_024, collabIdle.BytesPerConnection / 1_024, "0.0", IdleMemoryMaxRatio, bareIdle.AllHeld && collabIdle.AllHeld));
                if (bareIdle.CollectedBytesPerConnection is { } bareCollected && collabIdle.CollectedBytesPerConnection is { } collabCollected)
                {
                    figures.Add(BaselineFigure.AtMost("idle memory/conn. after full GC (KB)", bareCollected / 1_024, collabCollected / 1_024, "0.0", IdleCollectedMemoryMaxRatio, bareIdle.AllHeld && collabIdle.AllHeld));
                }

                if (bareIdle.LiveHeapBytesPerConnection is { } bareHeap && collabIdle.LiveHeapBytesPerConnection is { } collabHeap)
                {
                    figures.Add(BaselineFigure.AtMost("idle live heap/conn. after full GC (KB)", bareHeap / 1_024, collabHeap / 1_024, "0.0", IdleCollectedMemoryMaxRatio, bareIdle.AllHeld && collabIdle.AllHeld));
                }

                figures.Add(new("idle connections held", bareIdle.ConnectionsHeld, collabIdle.ConnectionsHeld, "N0", $"all {collabIdle.Connections:N0}", collabIdle.AllHeld, HasRatio: false));
                figures.Add(new("idle RSS, all joined (MB)", bareIdle.ResidentLoadedBytes / 1_048_576.0, collabIdle.ResidentLoadedBytes / 1_048_576.0, "0"));
                figures.Add(new("idle peak RSS (MB)", bareIdle.PeakResidentBytes / 1_048_576.0, collabIdle.PeakResidentBytes / 1_048_576.0, "0"));
                figures.Add(new("idle join phase (s)", bareIdle.JoinSeconds, collabIdle.JoinSeconds, "0.0"));
                figures.Add(new("idle join server CPU (s)", bareIdle.JoinServerCpuSeconds, collabIdle.JoinServerCpuSeconds, "0.0"));
            }

            return figures;
        }
    }

    public bool AllTargetsMet => Figures.All(figure => figure.Met is not false);

    public string SummaryLine
    {
        get
        {
            var targets = Figures.Where(figure => figure.Met is not null).ToList();
            var parts = targets.Select(figure => figure.Ratio is { } ratio
                ? string.Create(CultureInfo.InvariantCulture, $"{figure.Name} {ratio:0.00}× ({figure.Target}: {(figure.Met == true ? "met" : "missed")})")
                : string.Create(CultureInfo.InvariantCulture, $"{figure.Name} {figure.Collab.ToString(figure.Format, CultureInfo.InvariantCulture)} ({figure.Target}: {(figure.Met == true ? "met" : "missed")})"));
            return $"baseline, Collab vs bare hub: {string.Join("; ", parts)}; {targets.Count(figure => figure.Met == true)} of {targets.Count} targets met";
        }
    }
}
