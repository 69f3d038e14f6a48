using System.Text.Json;
using Collab.Conferencing.Voice;

namespace Collab.Hub.Tests.Voice;

/// <summary>
/// The voice datagram's bytes against the shared known answers (codec/test/vectors/voice-datagram.json, sealed by
/// Node's AES-128-GCM, also read by the media edge's tests), and what a receiver refuses.
/// </summary>
public sealed class VoiceDatagramFramingTests
{
    public static TheoryData<string> Cases => [.. VectorFile.Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sealing_gives_the_known_datagram(string name)
    {
        var vector = VectorFile.Case(name);
        using var cipher = new VoiceDatagramCipher(vector.SessionId, vector.Key);
        var datagram = new byte[VoiceDatagram.MaxBytes];

        var length = cipher.Seal(vector.Counter, vector.Direction, vector.Type, vector.Payload, datagram);

        Assert.Equal(Convert.ToHexStringLower(vector.Datagram), Convert.ToHexStringLower(datagram.AsSpan(0, length)));
        Assert.Equal(vector.Payload.Length + VoiceDatagram.Overhead, length);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Opening_the_known_datagram_gives_its_header_and_payload(string name)
    {
        var vector = VectorFile.Case(name);
        using var cipher = new VoiceDatagramCipher(vector.SessionId, vector.Key);
        var payload = new byte[VoiceDatagram.MaxPayloadBytes];

        Assert.True(cipher.TryOpen(vector.Datagram, vector.Direction, payload, out var header, out var written));

        Assert.Equal(vector.Payload, payload[..written]);
        Assert.Equal(new VoiceDatagramHeader(1, vector.Type, VoiceDatagram.ReadSessionId(vector.SessionId), vector.Counter), header);
    }

    [Fact]
    public void Hub_to_listener_audio_carries_the_speaker_id_before_the_batch()
    {
        var vector = VectorFile.Case("audio to a listener");
        var batch = VectorFile.Case("audio from a speaker").Payload;
        var written = new byte[VoiceDatagram.MaxPayloadBytes];

        Assert.True(VoiceDatagram.TryWriteListenerAudio("speaker-1", batch, written, out var length));
        Assert.True(VoiceDatagram.TryReadListenerAudio(vector.Payload, out var speakerId, out var read));

        Assert.Equal(vector.Payload, written[..length]);
        Assert.Equal("speaker-1", speakerId);
        Assert.Equal(batch, read.ToArray());
        Assert.False(VoiceDatagram.TryReadListenerAudio([9, 1, 2], out _, out _));
        Assert.False(VoiceDatagram.TryReadListenerAudio([], out _, out _));
    }

    [Fact]
    public void Every_flipped_bit_of_header_ciphertext_or_tag_fails_the_tag()
    {
        var vector = VectorFile.Case("audio from a speaker");
        using var cipher = new VoiceDatagramCipher(vector.SessionId, vector.Key);
        var payload = new byte[VoiceDatagram.MaxPayloadBytes];
        var accepted = 0;

        // Byte 0 (version and type) and the session id bytes may fail earlier, at the header; every other bit reaches the tag.
        for (var bit = 0; bit < vector.Datagram.Length * 8; bit++)
        {
            var tampered = vector.Datagram.ToArray();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            accepted += cipher.TryOpen(tampered, vector.Direction, payload, out _, out _) ? 1 : 0;
        }

        Assert.Equal(0, accepted);
        Assert.True(cipher.TryOpen(vector.Datagram, vector.Direction, payload, out _, out _));
    }

    [Fact]
    public void A_datagram_opens_only_with_its_own_key_session_and_direction()
    {
        var vector = VectorFile.Case("ping");
        var payload = new byte[VoiceDatagram.MaxPayloadBytes];
        using var otherKey = new VoiceDatagramCipher(vector.SessionId, [.. vector.Key.Select(b => (byte)(b ^ 0x5A))]);
        using var otherSession = new VoiceDatagramCipher([1, 2, 3, 4, 5, 6, 7, 8], vector.Key);
        using var own = new VoiceDatagramCipher(vector.SessionId, vector.Key);

        Assert.False(otherKey.TryOpen(vector.Datagram, vector.Direction, payload, out _, out _));
        Assert.False(otherSession.TryOpen(vector.Datagram, vector.Direction, payload, out _, out _));
        Assert.False(own.TryOpen(vector.Datagram, VoiceDatagramDirection.HubToClient, payload, out _, out _));
        Assert.True(own.TryOpen(vector.Datagram, VoiceDatagramDirection.ClientToHub, payload, out _, out _));
    }

    [Fact]
    public void Sizes_outside_header_plus_tag_to_1200_bytes_are_refused_and_never_sealed()
    {
        var vector = VectorFile.Case("ping");
        using var cipher = new VoiceDatagramCipher(vector.SessionId, vector.Key);
        var big = new byte[VoiceDatagram.MaxBytes + 100];
        var largest = cipher.Seal(1, VoiceDatagramDirection.ClientToHub, VoiceDatagramType.Audio, new byte[VoiceDatagram.MaxPayloadBytes], big);
        var payload = new byte[VoiceDatagram.MaxBytes];

        Assert.Equal(VoiceDatagram.MaxBytes, largest);
        Assert.True(cipher.TryOpen(big.AsSpan(0, largest), VoiceDatagramDirection.ClientToHub, payload, out _, out _));
        Assert.False(VoiceDatagram.TryReadHeader(big.AsSpan(0, largest + 1), out _));
        Assert.False(VoiceDatagram.TryReadHeader(vector.Datagram.AsSpan(0, VoiceDatagram.Overhead - 1), out _));
        Assert.Throws<ArgumentException>(() => cipher.Seal(1, VoiceDatagramDirection.ClientToHub, VoiceDatagramType.Audio, new byte[VoiceDatagram.MaxPayloadBytes + 1], big));
    }

    [Fact]
    public void Another_version_or_an_unknown_type_is_refused_at_the_header()
    {
        var datagram = VectorFile.Case("ping").Datagram;
        var version2 = datagram.ToArray();
        version2[0] = 0x22;
        var type9 = datagram.ToArray();
        type9[0] = 0x19;

        Assert.True(VoiceDatagram.TryReadHeader(datagram, out var header));
        Assert.Equal(VoiceDatagramType.Ping, header.Type);
        Assert.False(VoiceDatagram.TryReadHeader(version2, out _));
        Assert.False(VoiceDatagram.TryReadHeader(type9, out _));
    }

    [Fact]
    public void The_replay_window_accepts_each_counter_once_and_late_ones_only_within_64()
    {
        var window = new VoiceReplayWindow();

        Assert.False(window.TryAccept(0));
        Assert.True(window.TryAccept(1));
        Assert.False(window.TryAccept(1));
        Assert.True(window.TryAccept(5));
        Assert.True(window.TryAccept(3));
        Assert.False(window.TryAccept(3));
        Assert.True(window.TryAccept(100));
        Assert.False(window.TryAccept(36));
        Assert.True(window.TryAccept(37));
        Assert.False(window.TryAccept(37));
        Assert.True(window.TryAccept(99));
        Assert.False(window.TryAccept(5));
        Assert.True(window.TryAccept(100 + 64));
        Assert.False(window.TryAccept(100));
        Assert.True(window.TryAccept(ulong.MaxValue));
        Assert.Equal(ulong.MaxValue, window.Highest);
    }

    private sealed record Vector(string Name, byte[] Key, byte[] SessionId, ulong Counter, VoiceDatagramDirection Direction, VoiceDatagramType Type, byte[] Payload, byte[] Datagram);

    private static class VectorFile
    {
        private static readonly Lazy<Vector[]> s_cases = new(Read);

        public static IReadOnlyList<Vector> Cases => s_cases.Value;

        public static Vector Case(string name) => s_cases.Value.Single(c => c.Name == name);

        private static Vector[] Read()
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "voice-datagram.json")));
            var directions = json.RootElement.GetProperty("directions");
            var types = json.RootElement.GetProperty("types");
            return
            [
                .. json.RootElement.GetProperty("cases").EnumerateArray().Select(c => new Vector(
                    c.GetProperty("name").GetString()!,
                    Convert.FromHexString(c.GetProperty("key").GetString()!),
                    Convert.FromHexString(c.GetProperty("sessionId").GetString()!),
                    c.GetProperty("counter").GetUInt64(),
                    (VoiceDatagramDirection)directions.GetProperty(c.GetProperty("direction").GetString()!).GetUInt32(),
                    (VoiceDatagramType)types.GetProperty(c.GetProperty("type").GetString()!).GetByte(),
                    Convert.FromHexString(c.GetProperty("payload").GetString()!),
                    Convert.FromHexString(c.GetProperty("datagram").GetString()!))),
            ];
        }
    }
}
