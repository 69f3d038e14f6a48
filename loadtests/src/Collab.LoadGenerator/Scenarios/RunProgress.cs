using System.Globalization;

namespace Collab.LoadGenerator.Scenarios;

/// <summary>A run's figures so far, for the live display and the periodic progress line.</summary>
internal sealed record RunProgress(
    double Seconds,
    double DurationSeconds,
    int Connected,
    int Participants,
    long ChatExpected,
    long ChatDelivered,
    long Votes,
    long AudioHeard,
    long AudioLost,
    int Reconnects,
    long Errors)
{
    public string Line => string.Create(CultureInfo.InvariantCulture,
        $"{Seconds:0} s: {Connected}/{Participants} connected, chat {ChatDelivered}/{ChatExpected} delivered, {Votes} votes, {AudioHeard} audio packets heard ({AudioLost} lost), {Reconnects} reconnects, {Errors} errors");
}
