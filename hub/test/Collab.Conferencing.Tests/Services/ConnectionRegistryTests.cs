
using Collab.Conferencing.Meetings;

namespace Collab.Conferencing.Tests.Services;

public sealed class ConnectionRegistryTests
{
    [Fact]
    public void Participant_counts_as_connected_until_its_last_connection_is_removed()
    {
        var registry = new ConnectionRegistry();
        registry.Add(new Session("c1", "m", "p1", "Ana", ParticipantRole.Participant));
        registry.Add(new Session("c2", "m", "p1", "Ana", ParticipantRole.Participant));
        registry.Add(new Session("c3", "m", "p2", "Ben", ParticipantRole.Participant));

        registry.Remove("c1");
        var afterFirst = registry.HasConnection("m", "p1");
        registry.Remove("c2");

        Assert.True(afterFirst);
        Assert.False(registry.HasConnection("m", "p1"));
        Assert.Equal(["p2"], registry.Participants().Select(s => s.ParticipantId));
        Assert.Null(registry.Remove("c1"));
    }

    [Fact]
    public void Rejoining_on_the_same_connection_replaces_its_session()
    {
        var registry = new ConnectionRegistry();
        registry.Add(new Session("c1", "m", "p1", "Ana", ParticipantRole.Participant));

        registry.Add(new Session("c1", "m", "p2", "Chair", ParticipantRole.Moderator));

        Assert.False(registry.HasConnection("m", "p1"));
        Assert.True(registry.HasConnection("m", "p2"));
        Assert.Equal(ParticipantRole.Moderator, registry.Require("c1").Role);
        Assert.Equal(ConferencingError.NotJoined, Assert.Throws<ConferencingException>(() => registry.Require("c9")).Error);
    }
}
