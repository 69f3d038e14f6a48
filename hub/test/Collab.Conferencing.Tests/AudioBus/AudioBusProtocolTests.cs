using System.Text;
using Collab.Codec.Adaptation;
using Collab.Conferencing.Audio;
using Collab.Conferencing.Redis;

namespace Collab.Conferencing.Tests.AudioBus;

/// <summary>
/// The audio bus bytes between hub nodes, pinned: each named message with its decoded value and its exact bytes,
/// written to those bytes and read back from them. A node of the previous release reads what this one writes only
/// while these hold; change one only with a new version byte.
/// </summary>
public sealed class AudioBusProtocolTests
{
    private static readonly ReceptionReport s_report = new(0.04, 60, 0.01, 18, 0.02, 25);
    private const string ReportFigures = "3fa47ae147ae147b" + "404e000000000000" + "3f847ae147ae147b" + "4032000000000000" + "3f947ae147ae147b" + "00000019";

    public static TheoryData<string> Names => [.. s_messages.Keys];

    private static readonly Dictionary<string, (Func<byte[]> Write, AudioBusMessage Decoded, string Hex)> s_messages = new(StringComparer.Ordinal)
    {
        ["audio batch"] = (
            () => AudioBusProtocol.WriteAudio("s1", [1, 0, 3, 0x11, 7, 0xFF]),
            new AudioBusMessage.Audio("s1", [1, 0, 3, 0x11, 7, 0xFF]),
            "0101" + "027331" + "010003" + "1107ff"),
        ["audio, multi-byte UTF-8 speaker id"] = (
            () => AudioBusProtocol.WriteAudio("é", [9]),
            new AudioBusMessage.Audio("é", [9]),
            "0101" + "02c3a9" + "09"),
        ["reception report"] = (
            () => AudioBusProtocol.WriteReception("s1", "l2", s_report),
            new AudioBusMessage.Reception("s1", "l2", s_report),
            "0102" + "027331" + "026c32" + ReportFigures),
        ["floor change"] = (
            () => AudioBusProtocol.WriteFloor(new FloorView(FloorMode.Moderated, 3, ["s1"], ["s2"], [])),
            new AudioBusMessage.Floor(new FloorView(FloorMode.Moderated, 3, ["s1"], ["s2"], [])),
            "0103" + "00" + Convert.ToHexStringLower(Encoding.UTF8.GetBytes("""{"Mode":1,"MaxSpeakers":3,"Speakers":["s1"],"Requests":["s2"],"Muted":[]}"""))),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Writes_the_pinned_bytes(string name)
    {
        var (write, _, hex) = s_messages[name];

        Assert.Equal(hex, Convert.ToHexStringLower(write()));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Reads_the_pinned_bytes(string name)
    {
        var (_, decoded, hex) = s_messages[name];

        Assert.True(AudioBusProtocol.TryRead(Convert.FromHexString(hex), out var read));
        AssertSame(decoded, read);
    }

    [Fact]
    public void A_reception_report_with_trailing_fields_from_a_newer_node_reads_as_before()
    {
        Assert.True(AudioBusProtocol.TryRead(Convert.FromHexString("0102" + "027331" + "026c32" + ReportFigures + "0102030405"), out var read));

        AssertSame(new AudioBusMessage.Reception("s1", "l2", s_report), read);
    }

    [Fact]
    public void A_kind_from_a_newer_node_is_read_as_nothing_to_deliver()
    {
        Assert.True(AudioBusProtocol.TryRead(Convert.FromHexString("0109" + "027331" + "abcdef"), out var read));

        Assert.Null(read);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("0101", "no speaker id length")]
    [InlineData("0201027331010203", "version 2")]
    [InlineData("0101057331", "speaker id past the end")]
    [InlineData("0102027331", "reception without a body")]
    [InlineData("0102027331026c32" + "3fa47ae147ae147b", "reception figures cut short")]
    [InlineData("0102027331096c32" + ReportFigures, "listener id past its figures")]
    [InlineData("0103007b224d6f6465", "floor JSON cut short")]
    public void Unreadable_messages_are_refused_without_throwing(string hex, string why)
    {
        Assert.False(AudioBusProtocol.TryRead(Convert.FromHexString(hex), out var read), why);
        Assert.Null(read);
    }

    private static void AssertSame(AudioBusMessage expected, AudioBusMessage? actual)
    {
        switch (expected)
        {
            case AudioBusMessage.Audio audio:
                var readAudio = Assert.IsType<AudioBusMessage.Audio>(actual);
                Assert.Equal(audio.SpeakerId, readAudio.SpeakerId);
                Assert.Equal(audio.Batch, readAudio.Batch);
                break;
            case AudioBusMessage.Reception reception:
                Assert.Equal(reception, Assert.IsType<AudioBusMessage.Reception>(actual));
                break;
            case AudioBusMessage.Floor floor:
                AudioBusContractTests.AssertSameFloor(floor.View, Assert.IsType<AudioBusMessage.Floor>(actual).View);
                break;
            default:
                Assert.Fail($"No comparison for {expected.GetType().Name}.");
                break;
        }
    }
}
