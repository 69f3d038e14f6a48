namespace Collab.LoadGenerator.IdleCost;

/// <summary>
/// One idle-cost measurement: Redis commands per second over the window (every command Redis ran, scripts' inner
/// commands included; and the scripts alone), Redis memory per participant, each hub's CPU while idle, and the kill.
/// </summary>
internal sealed record IdleCostResult(
    int Participants,
    int Nodes,
    double SettleSeconds,
    double WindowSeconds,
    double JoinSeconds,
    double RedisCommandsPerSecond,
    double RedisScriptsPerSecond,
    IReadOnlyList<CommandRate> BusiestCommands,
    double RedisBytesPerParticipant,
    IReadOnlyList<HubIdleFigures> Hubs,
    KillFigures? Kill)
{
    public double RedisCommandsPerSecondPerNode => RedisCommandsPerSecond / Nodes;
}

/// <summary>A hub's CPU (percent of one core) over the measured window, and its resident memory at its end.</summary>
internal sealed record HubIdleFigures(string Name, double IdleCpuPercent, double ResidentMegabytes);

/// <summary>The last node killed: its participants, how many left the survivor's list, and how soon all had (null: not within the limit).</summary>
internal sealed record KillFigures(int Participants, int Left, double? ClearedSeconds);
