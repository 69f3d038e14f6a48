using System.ComponentModel;
using System.Text.Json;
using Collab.Codec;
using Collab.Codec.Audio;
using Collab.Codec.Opus;
using Collab.Codec.Packets;
using Collab.Codec.Pipeline;
using Collab.Codec.Profiles;
using Collab.Conferencing.Audio;
using Collab.Conferencing.Client;
using Collab.Conferencing.Voice;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Spectre.Console.Cli;
using Collab.Conferencing.Meetings;

namespace Collab.LoadGenerator.Speak;

/// <summary>
/// One .NET participant in an existing meeting: speaks the speech sample (codec module, a ladder rung) for a while and
/// decodes whatever it hears from others, then prints what it sent and heard as JSON. It proves that the codec
/// module's voice and any other client's (a browser's) are one format.
/// </summary>
internal sealed class SpeakCommand : AsyncCommand<SpeakCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--hub <URL>")]
        [Description("The hub to connect to.")]
        public string Hub { get; init; } = string.Empty;

        [CommandOption("--meeting <ID>")]
        public string Meeting { get; init; } = string.Empty;

        [CommandOption("--code <JOINCODE>")]
        public string Code { get; init; } = string.Empty;

        [CommandOption("--name <NAME>")]
        [DefaultValue(".NET speaker")]
        public string Name { get; init; } = ".NET speaker";

        [CommandOption("--seconds <N>")]
        [Description("How long to stay (1–120 s); the first --speak-seconds of it speaking.")]
        [DefaultValue(10)]
        public int Seconds { get; init; } = 10;

        [CommandOption("--speak-seconds <N>")]
        [DefaultValue(4)]
        public int SpeakSeconds { get; init; } = 4;

        [CommandOption("--profile <NAME>")]
        [DefaultValue("standard")]
        public string Profile { get; init; } = "standard";

        [CommandOption("--voice-path <PATH>")]
        [Description("auto (voice datagrams while the hub answers pings, else SignalR), unreliable (datagrams only) or signalr.")]
        [DefaultValue(VoicePathChoice.Auto)]
        public VoicePathChoice VoicePath { get; init; } = VoicePathChoice.Auto;

        public override Spectre.Console.ValidationResult Validate() =>
            !Uri.TryCreate(Hub, UriKind.Absolute, out _) ? Spectre.Console.ValidationResult.Error("--hub is the hub's URL.")
            : string.IsNullOrWhiteSpace(Meeting) || string.IsNullOrWhiteSpace(Code) ? Spectre.Console.ValidationResult.Error("--meeting and --code are required.")
            : Seconds is < 1 or > 120 || SpeakSeconds < 0 || SpeakSeconds > Seconds ? Spectre.Console.ValidationResult.Error("--seconds is 1–120 and --speak-seconds at most that.")
            : !ProfileLadder.TryGetByName(Profile, out _) ? Spectre.Console.ValidationResult.Error("--profile names a ladder rung.")
            : Spectre.Console.ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ProfileLadder.TryGetByName(settings.Profile, out var profile);
        using var decoder = new VoiceDecoder();
        var heard = new Heard();
        await using var connection = MeetingHubConnection.Build(new Uri(settings.Hub), new MeetingConnectionOptions
        {
            Transports = HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents | HttpTransportType.LongPolling,
        });
        await connection.StartAsync(cancellationToken);
        await connection.JoinAsync(new JoinRequest(settings.Meeting, settings.Name, JoinCode: settings.Code), cancellationToken);
        await using var voice = await VoiceDatagramChannel.OpenAsync(connection, new Uri(settings.Hub), new VoiceDatagramChannelOptions { Path = settings.VoicePath }, cancellationToken);
        var paths = new List<string>();
        voice.VoicePathChanged += path =>
        {
            lock (paths)
            {
                paths.Add(path);
            }
        };
        voice.AudioReceived += audio => heard.Decode(decoder, audio);

        var framesSent = 0;
        var end = DateTime.UtcNow.AddSeconds(settings.Seconds);
        if (settings.SpeakSeconds > 0)
        {
            await connection.RequestFloorAsync(cancellationToken);
            framesSent = await SpeakAsync(voice, profile, TimeSpan.FromSeconds(settings.SpeakSeconds), cancellationToken);
            await connection.ReleaseFloorAsync(cancellationToken);
        }

        var rest = end - DateTime.UtcNow;
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest, cancellationToken);
        }

        var (byDatagram, bySignalR) = voice.Published;
        string[] changes;
        lock (paths)
        {
            changes = [.. paths];
        }

        Console.Out.WriteLine(JsonSerializer.Serialize(new
        {
            framesSent,
            framesDecoded = heard.Frames,
            decodedDbfs = heard.Dbfs,
            voicePath = voice.VoicePath,
            voicePathChanges = changes,
            voiceUnavailable = voice.Unavailable,
            batchesSent = new { unreliable = byDatagram, signalr = bySignalR },
            framesHeard = new { unreliable = heard.FramesBy(VoicePaths.Unreliable), signalr = heard.FramesBy(VoicePaths.SignalR) },
        }));
        return 0;
    }

    private static async Task<int> SpeakAsync(VoiceDatagramChannel voice, VoiceProfile profile, TimeSpan duration, CancellationToken cancellationToken)
    {
        var speech = WaveFiles.ReadVoice(Path.Combine(AppContext.BaseDirectory, "data", "speech-48k.wav"));
        using var sender = new VoiceSender(profile with { Dtx = false });
        var packet = new byte[AudioPacketFormat.MaxPacketBytes];
        var pending = new List<byte[]>();
        var frames = (int)(duration.TotalMilliseconds / profile.FrameMilliseconds);
        using var clock = new PeriodicTimer(TimeSpan.FromMilliseconds(profile.FrameMilliseconds));
        for (var i = 0; i < frames; i++)
        {
            var frame = speech.AsSpan(i * profile.SamplesPerFrame % (speech.Length - profile.SamplesPerFrame), profile.SamplesPerFrame);
            pending.Add(packet[..sender.EncodeFrame(frame, packet)]);
            if (pending.Count == profile.FramesPerMessage)
            {
                var batch = AudioBatch.Pack(pending);
                pending.Clear();
                await voice.PublishAsync(batch, cancellationToken);
            }

            await clock.WaitForNextTickAsync(cancellationToken);
        }

        return frames;
    }

    /// <summary>Frames decoded from others and their level; a packet heard on both paths (while switching) is decoded once.</summary>
    private sealed class Heard
    {
        private readonly short[] _pcm = new short[VoiceFormat.MaxFrameSamples];
        private readonly Dictionary<string, Queue<ushort>> _recent = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _byPath = new(StringComparer.Ordinal);
        private double _sumOfSquares;
        private long _samples;

        public int Frames { get; private set; }

        public double Dbfs => _samples == 0 ? -120 : 10 * Math.Log10(Math.Max(1e-12, _sumOfSquares / _samples));

        public int FramesBy(string path)
        {
            lock (this)
            {
                return _byPath.GetValueOrDefault(path);
            }
        }

        public void Decode(VoiceDecoder decoder, VoiceAudio audio)
        {
            lock (this)
            {
                if (!_recent.TryGetValue(audio.SpeakerId, out var recent))
                {
                    recent = new Queue<ushort>();
                    _recent[audio.SpeakerId] = recent;
                }

                foreach (var packet in AudioBatch.Packets(audio.Batch))
                {
                    if (!AudioPacketFormat.TryRead(packet, out var reader, out _) || recent.Contains(reader.Header.Sequence))
                    {
                        continue;
                    }

                    recent.Enqueue(reader.Header.Sequence);
                    if (recent.Count > 256)
                    {
                        recent.Dequeue();
                    }

                    _byPath[audio.Path] = _byPath.GetValueOrDefault(audio.Path) + 1;

                    var samples = decoder.Decode(reader.Primary, _pcm);
                    for (var i = 0; i < samples; i++)
                    {
                        var value = _pcm[i] / 32768.0;
                        _sumOfSquares += value * value;
                    }

                    _samples += samples;
                    Frames++;
                }
            }
        }
    }
}
