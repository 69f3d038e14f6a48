namespace Collab.Conferencing.Moderation;

/// <summary>Pushed when a moderator deleted a chat message: show its place as deleted, drop its text.</summary>
public sealed record ChatMessageDeletedView(long Sequence);

/// <summary>How many raised hands a moderator lowered at once.</summary>
public sealed record HandsLoweredView(int Lowered);
