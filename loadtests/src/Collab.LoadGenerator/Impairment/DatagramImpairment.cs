using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Collab.LoadGenerator.Impairment;

/// <summary>
/// The UDP side of a participant's impaired link: a relay on loopback between one participant's voice datagram
/// channel and the hub's datagram endpoint (also on loopback), playing the same <see cref="NetworkProfile"/> as the
/// participant's <see cref="ImpairmentProxy"/>, the way a datagram meets it: a lost datagram is gone (no
/// retransmission stall), with the profile's loss rate and burst length (Gilbert model, bursts counted in datagrams);
/// latency and jitter as on TCP, kept in order as a bottleneck's queue keeps them; the bandwidth cap per direction,
/// charging IPv4 and UDP headers (28 B) per datagram; a full bottleneck buffer (1 s) drops what arrives (tail drop);
/// nothing passes during an outage. It only ever sends to the one target it was given and to the participant that
/// spoke to it first; both must be loopback. Caps are its own: on a real link the datagrams and the SignalR
/// connection share one bottleneck, so on a link the voice nearly fills this is kinder than the real one.
/// </summary>
internal sealed class DatagramImpairment : IAsyncDisposable
{
    public const int DatagramOverheadBytes = 20 + 8;
    private readonly Socket _participantSide;
    private readonly Socket _hubSide;
    private readonly IPEndPoint _target;
    private readonly NetworkProfile _profile;
    private readonly ImpairmentClock _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;
    private EndPoint? _participant;
    private long _dropped;
    private long _forwarded;

    public DatagramImpairment(IPEndPoint target, NetworkProfile profile, int seed)
    {
        if (!IPAddress.IsLoopback(target.Address))
        {
            throw new ArgumentException($"The datagram relay only forwards to loopback; {target} is not.", nameof(target));
        }

        _target = target;
        _profile = profile;
        _clock = new ImpairmentClock(profile);
        // Receive buffers sized for bursts, so the relay's own sockets lose nothing the profile did not.
        _participantSide = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
        _participantSide.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _hubSide = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
        _hubSide.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var random = new Random(seed);
        var up = new Direction(this, _profile.UpKilobitsPerSecond, new Random(random.Next()), destination: () => _target, _hubSide);
        var down = new Direction(this, _profile.DownKilobitsPerSecond, new Random(random.Next()), destination: () => _participant, _participantSide);
        _loops = [ReceiveAsync(_participantSide, up, fromParticipant: true), ReceiveAsync(_hubSide, down, fromParticipant: false), up.SendAsync(_stop.Token), down.SendAsync(_stop.Token)];
    }

    /// <summary>Where the participant sends its datagrams.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_participantSide.LocalEndPoint!;

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Forwarded => Interlocked.Read(ref _forwarded);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _participantSide.Dispose();
        _hubSide.Dispose();
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task ReceiveAsync(Socket socket, Direction direction, bool fromParticipant)
    {
        var buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
                var from = (IPEndPoint)received.RemoteEndPoint;
                if (fromParticipant)
                {
                    if (!IPAddress.IsLoopback(from.Address))
                    {
                        continue;
                    }

                    _participant = from;
                }
                else if (!from.Equals(_target))
                {
                    continue;
                }

                direction.Offer(buffer.AsSpan(0, received.ReceivedBytes).ToArray());
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    /// <summary>One way through the link: loss, queueing at the cap, latency and jitter, then the send.</summary>
    private sealed class Direction(DatagramImpairment link, double kilobitsPerSecond, Random random, Func<EndPoint?> destination, Socket socket)
    {
        private readonly Channel<(double ReleaseAt, byte[] Datagram)> _queue = Channel.CreateUnbounded<(double, byte[])>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        private double _lastRelease;
        private double _lastSerialized;
        private bool _inLossBurst;

        public void Offer(byte[] datagram)
        {
            var now = link._clock.NowMilliseconds;
            if (link._clock.InOutage || IsLost() || QueueFull(now))
            {
                Interlocked.Increment(ref link._dropped);
                return;
            }

            var serialized = now;
            if (kilobitsPerSecond > 0)
            {
                serialized = Math.Max(now, _lastSerialized) + ((datagram.Length + DatagramOverheadBytes) * 8 / kilobitsPerSecond);
                _lastSerialized = serialized;
            }

            var release = Math.Max(serialized + link._profile.OneWayLatencyMilliseconds + (random.NextDouble() * link._profile.JitterMilliseconds), _lastRelease);
            _lastRelease = release;
            _queue.Writer.TryWrite((release, datagram));
        }

        public async Task SendAsync(CancellationToken stop)
        {
            try
            {
                await foreach (var (releaseAt, datagram) in _queue.Reader.ReadAllAsync(stop))
                {
                    var wait = releaseAt - link._clock.NowMilliseconds;
                    if (wait > 0.5)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(wait), stop);
                    }

                    if (destination() is { } to)
                    {
                        await socket.SendToAsync(datagram, SocketFlags.None, to, stop);
                        Interlocked.Increment(ref link._forwarded);
                    }
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // Stopped.
            }
        }

        /// <summary>More than the bottleneck's buffer (1 s at the cap) is waiting to be serialized.</summary>
        private bool QueueFull(double now) => kilobitsPerSecond > 0 && _lastSerialized - now > LinkDirection.BottleneckBufferMilliseconds;

        /// <summary>Gilbert model as on TCP, but every datagram of a burst is lost (nothing retransmits it).</summary>
        private bool IsLost()
        {
            if (link._profile.LossPercent <= 0)
            {
                return false;
            }

            var loss = link._profile.LossPercent / 100;
            var leave = 1 / Math.Max(1, link._profile.MeanLossBurstSegments);
            var enter = loss * leave / (1 - loss);
            _inLossBurst = _inLossBurst ? random.NextDouble() >= leave : random.NextDouble() < enter;
            return _inLossBurst;
        }
    }
}
