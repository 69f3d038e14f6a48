namespace Collab.LoadGenerator.Baseline;

/// <summary>Where a baseline client joins: a Collab meeting (id and join code) or a bare-hub group (name, no code).</summary>
internal sealed record BaselineRoom(string Id, string? JoinCode);
