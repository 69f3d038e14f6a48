using System.Threading.Channels;
using Collab.Conferencing.Meetings;
using Collab.Conferencing.Presence;

namespace Collab.Conferencing.Audio;

/// <summary>
/// One listening connection's audio: a small bounded queue that drops its oldest batch when full, and a pump that
/// hands batches to the connection one at a time. A connection whose link cannot keep up backs up only its own
/// queue: server memory stays at the queue's bound, and nobody else waits for it. Batches are shared, not copied.
/// </summary>
internal sealed class ListenerQueue : IAsyncDisposable
{
    private readonly Channel<(string SpeakerId, byte[] Batch)> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    public ListenerQueue(Session session, int capacity, IAudioSink sink, Action<int> delivered, Action<int> dropped)
    {
        Session = session;
        _queue = Channel.CreateBounded<(string, byte[])>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            item => dropped(item.Item2[0]));
        _pump = PumpAsync(sink, delivered);
    }

    public Session Session { get; }

    /// <summary>Whether the connection wants audio (false: text-only mode).</summary>
    public bool Receiving { get; set; } = true;

    public int Queued => _queue.Reader.Count;

    public void Enqueue(string speakerId, byte[] batch) => _queue.Writer.TryWrite((speakerId, batch));

    /// <summary>Stops the pump without waiting for it.</summary>
    public void Stop()
    {
        _queue.Writer.TryComplete();
        _stop.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await _pump.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // The transport never returned; the connection is closing anyway.
        }

        _stop.Dispose();
    }

    private async Task PumpAsync(IAudioSink sink, Action<int> delivered)
    {
        await Task.Yield();
        try
        {
            await foreach (var (speakerId, batch) in _queue.Reader.ReadAllAsync(_stop.Token))
            {
                await sink.SendAudioAsync(Session.ConnectionId, speakerId, batch, _stop.Token);
                delivered(batch[0]);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the listener left.
        }
    }
}
