using System.Diagnostics;
using System.Globalization;
using Collab.Codec.Statistics;
using Collab.LoadGenerator.Hosting;
using Microsoft.AspNetCore.SignalR.Client;

namespace Collab.LoadGenerator.Baseline;

/// <summary>
/// Chat fan-out against one target: every receiver is a real client in one room, senders among them send at a fixed
/// total rate. A message's client id is "sender.number", so its receive time is matched to its send time on this
/// process's clock through preallocated arrays (no lock per message), and each (receiver, message) pair is counted
/// once in a bit set, so duplicates cannot make up for losses. Bounded: connecting (FanOutSettings.ConnectLimit), at most 30 s waiting for the
/// server to go quiet, the warm-up, the measured window, at most 5 s of drain; the server is stopped at the end. Over
/// the window a <see cref="GcWatch"/> reads the server's collections, pauses and allocations from the runtime's events.
/// </summary>
internal sealed class FanOutLoad
{
    private const string Text = "baseline fan-out: one chat message to every receiver";
    private static readonly TimeSpan s_quietLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_drainLimit = TimeSpan.FromSeconds(5);
    private readonly FanOutSettings _settings;
    private readonly Func<Uri, Uri>? _route;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly long[][] _sentAt;
    private readonly int[] _seen;
    private readonly long[] _latencies;
    private long _windowStart = long.MaxValue;
    private long _latencyCount;
    private long _received;
    private long _duplicates;
    private long _sent;
    private long _sendFailures;

    public FanOutLoad(FanOutSettings settings, Func<Uri, Uri>? route = null)
    {
        if (settings.Receivers < 1 || settings.Senders < 1 || settings.Senders > settings.Receivers || settings.MessagesPerSecond <= 0)
        {
            throw new ArgumentException("A fan-out needs at least one receiver, senders among them and a positive rate.", nameof(settings));
        }

        _settings = settings;
        _route = route;
        _sentAt = [.. Enumerable.Range(0, settings.Senders).Select(_ => new long[settings.MessagesPerSender])];
        _seen = new int[(int)(((long)settings.Receivers * settings.Senders * settings.MessagesPerSender + 31) / 32)];
        _latencies = new long[Math.Min(settings.MaxDeliveries, 20_000_000)];
    }

    public async Task<FanOutResult> RunAsync(BaselineServer server, Action<string> progress, CancellationToken cancellationToken)
    {
        var clients = new BaselineClients(server, _route);
        var connections = new HubConnection?[_settings.Receivers];
        try
        {
            var room = await clients.CreateRoomAsync("baseline fan-out", cancellationToken);
            progress($"{server.Target}: connecting {_settings.Receivers} receivers");
            var connecting = Stopwatch.StartNew();
            await clients.ConnectManyAsync(connections, .., FanOutSettings.ConnectConcurrency, FanOutSettings.ConnectLimit, _ => room, receiver => id => OnMessage(receiver, id), cancellationToken);
            var connectSeconds = connecting.Elapsed.TotalSeconds;
            await server.WaitForQuietAsync(s_quietLimit, cancellationToken);

            progress($"{server.Target}: {_settings.Senders} senders, {_settings.MessagesPerSecond:0.#} messages/s to {_settings.Receivers} receivers; warm-up {_settings.WarmUp.TotalSeconds:0} s, then {_settings.Duration.TotalSeconds:0} s measured");
            using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var senders = Enumerable.Range(0, _settings.Senders)
                .Select(sender => SendAsync(clients, connections[sender]!, room, sender, stopSending.Token, cancellationToken))
                .ToList();
            await Task.Delay(_settings.WarmUp, cancellationToken);

            var cpuBefore = server.CpuTime();
            var clientCpuBefore = ProcessStats.CpuTime(Environment.ProcessId);
            var machineBefore = ProcessStats.MachineBusyTime();
            await using var gcWatch = GcWatch.TryStart(server.ProcessId, out var noWatch);
            if (gcWatch is null)
            {
                progress($"{server.Target}: no GC figures ({noWatch})");
            }

            var started = _clock.Elapsed;
            Volatile.Write(ref _windowStart, _clock.ElapsedTicks);
            var peakResident = server.ResidentBytes();
            while (_clock.Elapsed - started < _settings.Duration)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
                peakResident = Math.Max(peakResident, server.ResidentBytes());
            }

            await stopSending.CancelAsync();
            var measured = (_clock.Elapsed - started).TotalSeconds;
            await Task.WhenAll(senders);
            var expected = Interlocked.Read(ref _sent) * _settings.Receivers;
            var draining = Stopwatch.StartNew();
            while (Interlocked.Read(ref _received) < expected && draining.Elapsed < s_drainLimit)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }

            var gc = gcWatch is null ? null : await gcWatch.StopAsync();
            var cpu = (server.CpuTime() - cpuBefore).TotalSeconds;
            var clientCpu = (ProcessStats.CpuTime(Environment.ProcessId) - clientCpuBefore).TotalSeconds;
            var otherCpu = (ProcessStats.MachineBusyTime() - machineBefore).TotalSeconds - cpu - clientCpu;
            peakResident = Math.Max(peakResident, server.ResidentBytes());
            var latencies = _latencies.AsSpan(0, (int)Math.Min(Interlocked.Read(ref _latencyCount), _latencies.Length)).ToArray();
            Array.Sort(latencies);
            return new FanOutResult(
                server.Target,
                _settings.Receivers,
                _settings.Senders,
                _settings.MessagesPerSecond,
                connectSeconds,
                measured,
                Interlocked.Read(ref _sent),
                Interlocked.Read(ref _sendFailures),
                expected,
                Interlocked.Read(ref _received),
                Interlocked.Read(ref _duplicates),
                cpu,
                clientCpu,
                Math.Max(0, otherCpu),
                Milliseconds(Percentile.OfSorted<long>(latencies, 0.50)),
                Milliseconds(Percentile.OfSorted<long>(latencies, 0.99)),
                peakResident,
                gc);
        }
        finally
        {
            await clients.StopAsync(connections);
        }
    }

    /// <summary>
    /// One sender: a message every <c>Senders / MessagesPerSecond</c> seconds, phase-shifted so the senders together
    /// send evenly. Only acknowledged messages sent in the measured window count as sent.
    /// </summary>
    private async Task SendAsync(BaselineClients clients, HubConnection connection, BaselineRoom room, int sender, CancellationToken stopSending, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(sender / _settings.MessagesPerSecond), stopSending);
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_settings.Senders / _settings.MessagesPerSecond));
            for (var number = 0; number < _settings.MessagesPerSender; number++)
            {
                var sentAt = _clock.ElapsedTicks;
                Volatile.Write(ref _sentAt[sender][number], sentAt);
                try
                {
                    var clientMessageId = string.Create(CultureInfo.InvariantCulture, $"{sender}.{number}");
                    if (await clients.SendAsync(connection, room, clientMessageId, Text, cancellationToken))
                    {
                        // The sender's own copy is the result: delivered to it now, as a push would have been.
                        OnMessage(sender, clientMessageId);
                    }

                    if (sentAt >= Volatile.Read(ref _windowStart))
                    {
                        Interlocked.Increment(ref _sent);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Refused (a HubException) or the connection is gone: not sent, so not expected anywhere.
                    Interlocked.Increment(ref _sendFailures);
                }

                if (!await timer.WaitForNextTickAsync(stopSending))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stopSending.IsCancellationRequested)
        {
            // The measured window is over.
        }
    }

    private void OnMessage(int receiver, string clientMessageId)
    {
        var receivedAt = _clock.ElapsedTicks;
        var dot = clientMessageId.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0
            || !int.TryParse(clientMessageId.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var sender)
            || !int.TryParse(clientMessageId.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || sender >= _settings.Senders
            || number >= _settings.MessagesPerSender)
        {
            return;
        }

        var sentAt = Volatile.Read(ref _sentAt[sender][number]);
        if (sentAt < Volatile.Read(ref _windowStart))
        {
            return;
        }

        var bit = ((long)receiver * _settings.Senders + sender) * _settings.MessagesPerSender + number;
        var mask = 1 << (int)(bit & 31);
        if ((Interlocked.Or(ref _seen[bit >> 5], mask) & mask) != 0)
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }

        Interlocked.Increment(ref _received);
        var slot = Interlocked.Increment(ref _latencyCount) - 1;
        if (slot < _latencies.Length)
        {
            _latencies[slot] = receivedAt - sentAt;
        }
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
