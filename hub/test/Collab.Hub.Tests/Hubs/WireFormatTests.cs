using MessagePack;
using Microsoft.AspNetCore.SignalR;
using Collab.Conferencing.Meetings;

namespace Collab.Hub.Tests.Hubs;

/// <summary>Pins the payload shapes hub/PROTOCOL.md promises to non-.NET clients.</summary>
public sealed class WireFormatTests
{
    [Fact]
    public void MessagePack_payloads_are_maps_keyed_by_property_name_with_enums_as_strings()
    {
        var options = new MessagePackHubProtocolOptions().SerializerOptions;
        var view = new ParticipantView("p1", "Ana", ParticipantRole.Moderator, HandRaised: true);

        var json = MessagePackSerializer.ConvertToJson(MessagePackSerializer.Serialize(view, options, TestContext.Current.CancellationToken), options, TestContext.Current.CancellationToken);

        Assert.Equal("""{"ParticipantId":"p1","DisplayName":"Ana","Role":"Moderator","HandRaised":true}""", json);
    }
}
