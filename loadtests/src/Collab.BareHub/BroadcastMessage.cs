namespace Collab.BareHub;

/// <summary>What the hub's Broadcast method pushes: the sender's id and text, stamped with the server's clock.</summary>
public sealed record BroadcastMessage(string ClientMessageId, string Text, long SentAtUnixMs);
