using System.Net.Sockets;
using System.Threading.Channels;

namespace Collab.LoadGenerator.Impairment;

/// <summary>
/// One direction of an impaired TCP connection. The reader cuts what arrives into segments and gives each a release
/// time: now plus latency and jitter, no earlier than the previous segment (a TCP stream never reorders), after the
/// previous segment's serialization at the bandwidth cap (headers included: <see cref="SegmentOverheadBytes"/>), plus a retransmission stall when the loss model drops it,
/// and held until an outage ends. The writer sends each segment at its release time. On a capped link the queue
/// holds at most <see cref="BottleneckBufferMilliseconds"/> of traffic (a cellular bottleneck's buffer) and the reading
/// socket's buffer is small, so a sender that outruns the link feels it within about a second, as it would on a
/// real bottleneck, instead of filling megabytes of loopback buffers.
/// </summary>
internal sealed class LinkDirection(Socket from, Socket to, double kilobitsPerSecond, NetworkProfile profile, ImpairmentClock clock, Random random)
{
    public const double BottleneckBufferMilliseconds = 1_000;
    /// <summary>
    /// Header bytes each segment carries on a real link besides what the proxy forwards, charged against the bandwidth
    /// cap: IPv4 20 B, TCP 32 B (20 B plus the 12 B timestamp option Linux, Windows and iOS negotiate) and a TLS 1.2
    /// AES-GCM record 29 B (5 B header, 8 B explicit nonce, 16 B tag; TLS 1.3 is 22 B). The proxy sees plaintext
    /// HTTP on loopback, so without this a small voice message looked ~80 B cheaper than it is on the wire. Pure
    /// ACKs the other way are not charged.
    /// </summary>
    public const int SegmentOverheadBytes = 20 + 32 + 29;
    private const int SegmentBytes = 1_448;
    private const int CappedSocketBufferBytes = 16 * 1024;
    private readonly Channel<(double ReleaseAt, byte[] Segment)> _queue = Channel.CreateBounded<(double, byte[])>(new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = true });
    private double _lastRelease;
    private bool _inLossBurst;

    public long BytesForwarded { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var writer = WriteAsync(cancellationToken);
        if (kilobitsPerSecond > 0)
        {
            from.ReceiveBufferSize = CappedSocketBufferBytes;
        }

        try
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
            {
                for (var offset = 0; offset < read; offset += SegmentBytes)
                {
                    var segment = buffer.AsSpan(offset, Math.Min(SegmentBytes, read - offset)).ToArray();
                    await _queue.Writer.WriteAsync((ReleaseTime(segment.Length), segment), cancellationToken);
                }

                await WaitWhileBufferFullAsync(cancellationToken);
            }
        }
        finally
        {
            _queue.Writer.TryComplete();
            await writer;
        }
    }

    /// <summary>On a capped link, stops reading while more than the bottleneck's buffer is queued for serialization.</summary>
    private async Task WaitWhileBufferFullAsync(CancellationToken cancellationToken)
    {
        if (kilobitsPerSecond <= 0)
        {
            return;
        }

        var queued = _lastRelease - clock.NowMilliseconds - profile.OneWayLatencyMilliseconds - profile.JitterMilliseconds;
        if (queued > BottleneckBufferMilliseconds)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(queued - BottleneckBufferMilliseconds), cancellationToken);
        }
    }

    private double ReleaseTime(int bytes)
    {
        var now = clock.NowMilliseconds;
        var release = now + profile.OneWayLatencyMilliseconds + (random.NextDouble() * profile.JitterMilliseconds);
        if (kilobitsPerSecond > 0)
        {
            release = Math.Max(release, _lastRelease + ((bytes + SegmentOverheadBytes) * 8 / kilobitsPerSecond));
        }

        if (IsLost())
        {
            release += profile.RetransmitMilliseconds;
        }

        release = Math.Max(release, _lastRelease);
        release = clock.AfterOutage(release);
        _lastRelease = release;
        return release;
    }

    /// <summary>Gilbert model: independent losses when the mean burst is 1 segment, bursts otherwise.</summary>
    private bool IsLost()
    {
        if (profile.LossPercent <= 0)
        {
            return false;
        }

        var loss = profile.LossPercent / 100;
        var leave = 1 / Math.Max(1, profile.MeanLossBurstSegments);
        var enter = loss * leave / (1 - loss);
        var wasLost = _inLossBurst;
        _inLossBurst = _inLossBurst ? random.NextDouble() >= leave : random.NextDouble() < enter;

        // A burst costs one stall: the retransmissions behind the first loss ride on the same timeout.
        return _inLossBurst && !wasLost;
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (releaseAt, segment) in _queue.Reader.ReadAllAsync(cancellationToken))
            {
                var wait = releaseAt - clock.NowMilliseconds;
                if (wait > 0.5)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(wait), cancellationToken);
                }

                await to.SendAsync(segment, SocketFlags.None, cancellationToken);
                BytesForwarded += segment.Length;
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection was reset or the proxy stopped.
        }
    }
}
