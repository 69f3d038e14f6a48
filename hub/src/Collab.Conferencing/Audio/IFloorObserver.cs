namespace Collab.Conferencing.Audio;

/// <summary>Told after every floor change this node makes (stored, cached and pushed), e.g. to measure speaking time.</summary>
public interface IFloorObserver
{
    Task FloorChangedAsync(string meetingId, FloorView floor, CancellationToken cancellationToken = default);
}
