namespace Collab.LoadGenerator.Baseline;

/// <summary>
/// A chat fan-out: <see cref="Senders"/> of the <see cref="Receivers"/> also send, <see cref="MessagesPerSecond"/> in
/// total, evenly spread; every message goes to every receiver. One sender per message per second, below Collab's
/// per-participant chat limit (2 per second sustained).
/// </summary>
internal sealed record FanOutSettings(int Receivers, double MessagesPerSecond, TimeSpan Duration, TimeSpan WarmUp)
{
    public const int ConnectConcurrency = 32;

    /// <summary>The longest connecting the receivers may take before the load gives up.</summary>
    public static readonly TimeSpan ConnectLimit = TimeSpan.FromMinutes(10);

    public int Senders => (int)Math.Ceiling(MessagesPerSecond);

    /// <summary>Messages each sender can send in warm-up and the measured window, with room to spare.</summary>
    public int MessagesPerSender => (int)Math.Ceiling((WarmUp + Duration).TotalSeconds * MessagesPerSecond / Senders * 1.1) + 8;

    /// <summary>Deliveries the measured window can hold at most (a message more per sender for the edges).</summary>
    public long MaxDeliveries => ((long)Math.Ceiling(Duration.TotalSeconds * MessagesPerSecond * 1.1) + Senders) * Receivers;
}
