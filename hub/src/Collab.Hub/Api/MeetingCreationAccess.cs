using System.Globalization;
using System.Threading.RateLimiting;
using Collab.Conferencing;
using Collab.Conferencing.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Collab.Hub.Api;

/// <summary>
/// Guards meeting creation: organiser keys when configured (<see cref="MeetingCreationOptions.OrganiserKeys"/>), and
/// ASP.NET Core's rate limiter, a fixed window per organiser key (or per client address without one). Both refuse
/// with problem details and a code, like every HTTP refusal.
/// </summary>
public static class MeetingCreationAccess
{
    public const string OrganiserKeyHeader = "X-Organiser-Key";
    public const string RateLimitPolicy = "meeting-creation";

    public static IServiceCollection AddCollabMeetingCreation(this IServiceCollection services)
    {
        services.AddOptions<MeetingCreationOptions>()
            .BindConfiguration(MeetingCreationOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(options => options.OrganiserKeys.All(key => key.Length >= 16), "Every organiser key needs at least 16 characters.")
            .ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(RateLimitPolicy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<MeetingCreationOptions>>().Value;
                var key = context.Request.Headers[OrganiserKeyHeader].ToString();
                var partition = key.Length > 0 ? $"key:{SecretCodes.HashModeratorKey(key)}" : $"ip:{context.Connection.RemoteIpAddress}";
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitsPerWindow,
                    Window = TimeSpan.FromSeconds(options.WindowSeconds),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(ProblemResponses.Write(context.HttpContext, new ConferencingException(ConferencingError.RateLimited,
                    $"Too many meetings created by this client; retry in {retryAfter} s.")));
            };
        });
        return services;
    }

    /// <summary>Endpoint filter: with organiser keys configured, only a request carrying one of them gets through.</summary>
    public static ValueTask<object?> RequireOrganiser(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var keys = context.HttpContext.RequestServices.GetRequiredService<IOptions<MeetingCreationOptions>>().Value.OrganiserKeys;
        if (keys.Length == 0)
        {
            return next(context);
        }

        var given = SecretCodes.HashModeratorKey(context.HttpContext.Request.Headers[OrganiserKeyHeader].ToString());
        var known = false;
        foreach (var key in keys)
        {
            // Every key is compared (in fixed time), so the time taken tells nothing about which one was close.
            known |= SecretCodes.SecretEquals(given, SecretCodes.HashModeratorKey(key));
        }

        return known
            ? next(context)
            : throw ConferencingException.Forbidden($"Creating meetings needs an organiser key in the {OrganiserKeyHeader} header.");
    }
}
