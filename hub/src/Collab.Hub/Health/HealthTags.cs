namespace Collab.Hub.Health;

public static class HealthTags
{
    /// <summary>Checks that decide whether this node should receive traffic (<c>/readyz</c>).</summary>
    public const string Ready = "ready";
}
