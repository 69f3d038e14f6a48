namespace Collab.LoadGenerator.Baseline;

/// <summary>The hub a baseline load runs against: the bare SignalR broadcast hub or the Collab meeting hub.</summary>
internal enum BaselineTarget
{
    Bare,
    Collab,
}
