using System.Globalization;
using StackExchange.Redis;

namespace Collab.LoadGenerator.IdleCost;

/// <summary>
/// One reading of a redis-server's counters: INFO commandstats (calls per command, the commands scripts run
/// included) and INFO memory (<c>used_memory</c>).
/// </summary>
internal sealed record RedisStats(IReadOnlyDictionary<string, long> Calls, long UsedMemoryBytes, DateTimeOffset At)
{
    /// <summary>The INFO calls this tool makes itself, left out of every figure.</summary>
    private static readonly string[] s_own = ["info"];

    public static async Task<RedisStats> ReadAsync(IServer server)
    {
        var at = DateTimeOffset.UtcNow;
        var sections = await server.InfoAsync("commandstats");
        var memory = await server.InfoAsync("memory");
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in sections.SelectMany(group => group))
        {
            // cmdstat_evalsha:calls=12,usec=34,usec_per_call=2.83,rejected_calls=0,failed_calls=0
            if (entry.Key.StartsWith("cmdstat_", StringComparison.Ordinal))
            {
                var fields = entry.Value.Split(',').Select(field => field.Split('=')).ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
                calls[entry.Key["cmdstat_".Length..]] = long.Parse(fields["calls"], CultureInfo.InvariantCulture);
            }
        }

        return new RedisStats(calls, Field(memory, "used_memory"), at);
    }

    /// <summary>Commands per second between two readings, per command (the tool's own INFO calls left out), busiest first.</summary>
    public static IReadOnlyList<CommandRate> Rates(RedisStats before, RedisStats after)
    {
        var seconds = (after.At - before.At).TotalSeconds;
        return [.. after.Calls
            .Where(pair => !s_own.Contains(pair.Key))
            .Select(pair => new CommandRate(pair.Key, (pair.Value - before.Calls.GetValueOrDefault(pair.Key)) / seconds))
            .Where(rate => rate.PerSecond > 0)
            .OrderByDescending(rate => rate.PerSecond)];
    }

    /// <summary>Scripts run per second (EVAL, EVALSHA, FCALL): each is one round trip, whatever it does inside.</summary>
    public static double ScriptRate(IReadOnlyList<CommandRate> rates) =>
        rates.Where(rate => rate.Command is "eval" or "evalsha" or "eval_ro" or "evalsha_ro" or "fcall" or "fcall_ro").Sum(rate => rate.PerSecond);

    private static long Field(IGrouping<string, KeyValuePair<string, string>>[] sections, string name) =>
        long.Parse(sections.SelectMany(group => group).First(entry => entry.Key == name).Value, CultureInfo.InvariantCulture);
}

internal sealed record CommandRate(string Command, double PerSecond);
