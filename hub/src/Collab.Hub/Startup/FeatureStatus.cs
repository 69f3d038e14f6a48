namespace Collab.Hub.Startup;

/// <summary>
/// One optional part of the hub and whether it is on, said once at start-up; when it is off, <see cref="Detail"/>
/// says why and how to turn it on. Each concern registers its own (<c>services.AddSingleton(new FeatureStatus(...))</c>).
/// </summary>
public sealed record FeatureStatus(string Name, bool Enabled, string Detail);
