namespace Collab.Hub.Startup;

public static class StartupServiceCollectionExtensions
{
    /// <summary>Logs the served URLs, the resume-token key warning and each optional part's state at start-up.</summary>
    public static IServiceCollection AddCollabStartupReport(this IServiceCollection services) =>
        services.AddHostedService<StartupReport>();
}
