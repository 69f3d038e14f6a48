namespace Collab.BareHub;

/// <summary>What the bare hub pushes to the members of a group.</summary>
public interface IBroadcastClient
{
    Task MessageReceived(BroadcastMessage message);
}
