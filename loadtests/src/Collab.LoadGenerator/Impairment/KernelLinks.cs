using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Collab.LoadGenerator.Hosting;

namespace Collab.LoadGenerator.Impairment;

/// <summary>
/// Kernel mode (Linux, root): every participant gets its own network namespace, joined by a veth pair to a bridge
/// this run creates, and its link's rate and loss are applied to real packets: <c>netem</c> (delay, jitter, loss,
/// rate) where the kernel has it; otherwise <c>tbf</c> for the rate in each direction and an nftables random drop in
/// each direction, with delay, jitter and outages from the participant's impairment proxy, which then listens on the
/// bridge. Real loss makes real TCP retransmissions, where the proxy alone can only imitate their stalls. Names carry
/// this process's id, everything is removed on dispose, and leftovers of runs whose process is gone are removed at
/// start. Traffic stays between this machine and the namespaces it created.
/// </summary>
internal sealed class KernelLinks : IAsyncDisposable
{
    private const string NamespacePrefix = "clg-";
    private readonly int _pid = Environment.ProcessId;
    private readonly List<string> _namespaces = [];
    private bool _bridgeCreated;

    private KernelLinks(int subnet, bool netem)
    {
        Subnet = subnet;
        UsesNetem = netem;
        BridgeAddress = IPAddress.Parse($"10.{subnet}.0.1");
    }

    /// <summary>This run's bridge address: participants' proxies listen here.</summary>
    public IPAddress BridgeAddress { get; }

    /// <summary>Whether the kernel's netem does delay and loss (else tbf + nftables, with delay from the proxy).</summary>
    public bool UsesNetem { get; }

    private int Subnet { get; }

    private string Bridge => $"clg{_pid}b";

    /// <summary>Whether kernel mode can work here, and if not, why (for a clear message at start).</summary>
    public static async Task<(bool Available, string Reason)> ProbeAsync(CancellationToken cancellationToken = default)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (false, "kernel mode needs Linux (network namespaces, tc, nftables); the proxy-only mode works anywhere");
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return (false, "kernel mode needs root (it creates network namespaces and qdiscs); run as root or without --kernel");
        }

        foreach (var (tool, package) in new[] { ("ip", "iproute2"), ("tc", "iproute2"), ("nft", "nftables") })
        {
            if ((await ExternalCommand.RunAsync(tool, ["-V"], cancellationToken: cancellationToken)).ExitCode == 127)
            {
                return (false, $"kernel mode needs '{tool}' (apt-get install {package})");
            }
        }

        var probe = $"clgp{Environment.ProcessId}";
        var (created, output) = await ExternalCommand.RunAsync("ip", ["netns", "add", probe], cancellationToken: cancellationToken);
        if (created != 0)
        {
            return (false, $"cannot create network namespaces here ({output.Trim()}); a container needs CAP_SYS_ADMIN and CAP_NET_ADMIN");
        }

        await ExternalCommand.RunAsync("ip", ["netns", "del", probe], cancellationToken: cancellationToken);
        return (true, string.Empty);
    }

    /// <summary>Creates the bridge and one namespace per participant, shaped by <paramref name="profiles"/>[i].</summary>
    public static async Task<KernelLinks> CreateAsync(IReadOnlyList<NetworkProfile> profiles, Action<string> progress, CancellationToken cancellationToken)
    {
        if (profiles.Count > 16_000)
        {
            throw new ArgumentOutOfRangeException(nameof(profiles), "Kernel mode addresses at most 16,000 participants (one /16).");
        }

        await RemoveLeftoversAsync(cancellationToken);
        var netem = await HasNetemAsync(cancellationToken);
        var links = new KernelLinks(await FreeSubnetAsync(cancellationToken), netem);
        try
        {
            await links.SetUpAsync(profiles, cancellationToken);
            progress(netem
                ? $"kernel mode: {profiles.Count} namespaces on bridge {links.BridgeAddress}, netem for delay, jitter, loss and rate"
                : $"kernel mode: {profiles.Count} namespaces on bridge {links.BridgeAddress}; this kernel has no netem, so tbf shapes the rate and nftables drops packets, and delay and jitter come from the proxy");
            return links;
        }
        catch
        {
            await links.DisposeAsync();
            throw;
        }
    }

    /// <summary>The namespace participant <paramref name="index"/> connects from.</summary>
    public string NamespaceOf(int index) => $"{NamespacePrefix}{_pid}-{index}";

    /// <summary>What the participant's proxy still has to do: delay, jitter and outages, or (with netem) outages only.</summary>
    public NetworkProfile ProxyPart(NetworkProfile profile) => UsesNetem
        ? profile with { OneWayLatencyMilliseconds = 0, JitterMilliseconds = 0, LossPercent = 0, DownKilobitsPerSecond = 0, UpKilobitsPerSecond = 0 }
        : profile with { LossPercent = 0, DownKilobitsPerSecond = 0, UpKilobitsPerSecond = 0 };

    public async ValueTask DisposeAsync()
    {
        var batch = new StringBuilder();
        for (var i = 0; i < _namespaces.Count; i++)
        {
            // The veth pair goes first and at once: a namespace outlives "netns del" while sockets in it wind down,
            // and with it the pair, whose names the next set-up in this process would need.
            batch.AppendLine(CultureInfo.InvariantCulture, $"link del {HostSide(i)}");
            batch.AppendLine(CultureInfo.InvariantCulture, $"netns del {_namespaces[i]}");
        }

        if (_bridgeCreated)
        {
            batch.AppendLine(CultureInfo.InvariantCulture, $"link del {Bridge}");
        }

        if (batch.Length > 0)
        {
            // -force: carry on past a namespace that is already gone.
            await ExternalCommand.RunAsync("ip", ["-force", "-batch", "-"], batch.ToString());
        }

        _namespaces.Clear();
        _bridgeCreated = false;
    }

    private async Task SetUpAsync(IReadOnlyList<NetworkProfile> profiles, CancellationToken cancellationToken)
    {
        await ExternalCommand.CheckAsync("ip", ["-batch", "-"], $"link add {Bridge} type bridge\naddr add {BridgeAddress}/16 dev {Bridge}\nlink set {Bridge} up\n", cancellationToken);
        _bridgeCreated = true;

        var host = new StringBuilder();
        for (var i = 0; i < profiles.Count; i++)
        {
            _namespaces.Add(NamespaceOf(i));
            host.AppendLine(CultureInfo.InvariantCulture, $"netns add {NamespaceOf(i)}");
            host.AppendLine(CultureInfo.InvariantCulture, $"link add {HostSide(i)} type veth peer name {ClientSide(i)} netns {NamespaceOf(i)}");
            host.AppendLine(CultureInfo.InvariantCulture, $"link set {HostSide(i)} master {Bridge}");
            host.AppendLine(CultureInfo.InvariantCulture, $"link set {HostSide(i)} up");
        }

        await ExternalCommand.CheckAsync("ip", ["-batch", "-"], host.ToString(), cancellationToken);
        var downlinks = new StringBuilder();
        for (var i = 0; i < profiles.Count; i++)
        {
            if (Shaping(profiles[i], profiles[i].DownKilobitsPerSecond) is { } shaping)
            {
                downlinks.AppendLine(CultureInfo.InvariantCulture, $"qdisc add dev {HostSide(i)} root {shaping}");
            }
        }

        if (downlinks.Length > 0)
        {
            await ExternalCommand.CheckAsync("tc", ["-batch", "-"], downlinks.ToString(), cancellationToken);
        }

        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(Enumerable.Range(0, profiles.Count).Select(async i =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                await SetUpInsideAsync(i, profiles[i], cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    /// <summary>Inside participant <paramref name="index"/>'s namespace: its address, its uplink's shaping and, without netem, the random drops.</summary>
    private async Task SetUpInsideAsync(int index, NetworkProfile profile, CancellationToken cancellationToken)
    {
        var name = NamespaceOf(index);
        var address = $"10.{Subnet}.{(index + 2) / 250}.{((index + 2) % 250) + 2}";
        await ExternalCommand.CheckAsync("ip", ["-n", name, "-batch", "-"], $"link set lo up\naddr add {address}/16 dev {ClientSide(index)}\nlink set {ClientSide(index)} up\n", cancellationToken);
        if (Shaping(profile, profile.UpKilobitsPerSecond) is { } shaping)
        {
            await ExternalCommand.CheckAsync("tc", ["-n", name, "qdisc", "add", "dev", ClientSide(index), "root", .. shaping.Split(' ')], cancellationToken: cancellationToken);
        }

        if (!UsesNetem && profile.LossPercent > 0)
        {
            // Independent random loss each way (the proxy-only mode's bursty model has no nftables equivalent).
            var perMillion = (int)Math.Round(profile.LossPercent * 10_000);
            var rules = $$"""
                table inet collab_load {
                  chain in { type filter hook input priority 0; policy accept; iifname "{{ClientSide(index)}}" numgen random mod 1000000 < {{perMillion}} drop; }
                  chain out { type filter hook output priority 0; policy accept; oifname "{{ClientSide(index)}}" numgen random mod 1000000 < {{perMillion}} drop; }
                }
                """;
            await ExternalCommand.CheckAsync("ip", ["netns", "exec", name, "nft", "-f", "-"], rules, cancellationToken);
        }
    }

    /// <summary>The root qdisc for one direction: netem with everything, or tbf for the rate alone (null: nothing to shape).</summary>
    private string? Shaping(NetworkProfile profile, double kilobitsPerSecond)
    {
        if (UsesNetem)
        {
            var netem = string.Create(CultureInfo.InvariantCulture, $"netem limit 10000 delay {profile.OneWayLatencyMilliseconds:0}ms {profile.JitterMilliseconds / 2:0}ms loss {profile.LossPercent:0.###}%");
            return kilobitsPerSecond > 0 ? string.Create(CultureInfo.InvariantCulture, $"{netem} rate {kilobitsPerSecond:0}kbit") : netem;
        }

        // A second of queue at the rate (at least 3 KB), as the proxy's bottleneck buffer.
        return kilobitsPerSecond <= 0 ? null
            : string.Create(CultureInfo.InvariantCulture, $"tbf rate {kilobitsPerSecond:0}kbit burst 3000 limit {Math.Max(3_000, kilobitsPerSecond * 1000 / 8 * LinkDirection.BottleneckBufferMilliseconds / 1000):0}");
    }

    private string HostSide(int index) => $"c{_pid}h{index}";

    private string ClientSide(int index) => $"c{_pid}n{index}";

    private static async Task<bool> HasNetemAsync(CancellationToken cancellationToken)
    {
        var probe = $"clgq{Environment.ProcessId}";
        await ExternalCommand.CheckAsync("ip", ["link", "add", probe, "type", "veth", "peer", "name", probe + "p"], cancellationToken: cancellationToken);
        try
        {
            return (await ExternalCommand.RunAsync("tc", ["qdisc", "add", "dev", probe, "root", "netem", "delay", "1ms"], cancellationToken: cancellationToken)).ExitCode == 0;
        }
        finally
        {
            await ExternalCommand.RunAsync("ip", ["link", "del", probe], cancellationToken: CancellationToken.None);
        }
    }

    /// <summary>A 10.x.0.0/16 that no interface or route here uses yet.</summary>
    private static async Task<int> FreeSubnetAsync(CancellationToken cancellationToken)
    {
        var (_, addresses) = await ExternalCommand.RunAsync("ip", ["-o", "addr"], cancellationToken: cancellationToken);
        var (_, routes) = await ExternalCommand.RunAsync("ip", ["route"], cancellationToken: cancellationToken);
        for (var subnet = 78; subnet < 128; subnet++)
        {
            if (!addresses.Contains($" 10.{subnet}.", StringComparison.Ordinal) && !routes.Contains($"10.{subnet}.", StringComparison.Ordinal))
            {
                return subnet;
            }
        }

        throw new InvalidOperationException("No free 10.78–127.0.0/16 subnet for kernel mode's bridge.");
    }

    /// <summary>Removes namespaces and bridges of earlier runs whose process is gone (a run that was killed).</summary>
    private static async Task RemoveLeftoversAsync(CancellationToken cancellationToken)
    {
        var (_, list) = await ExternalCommand.RunAsync("ip", ["netns", "list"], cancellationToken: cancellationToken);
        var batch = new StringBuilder();
        var deadPids = new HashSet<int>();
        foreach (var line in list.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = line.Split(' ')[0];
            var parts = name.Split('-');
            if (name.StartsWith(NamespacePrefix, StringComparison.Ordinal) && parts.Length == 3
                && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var pid) && !IsRunning(pid))
            {
                batch.AppendLine(CultureInfo.InvariantCulture, $"netns del {name}");
                deadPids.Add(pid);
            }
        }

        foreach (var pid in deadPids)
        {
            batch.AppendLine(CultureInfo.InvariantCulture, $"link del clg{pid}b");
        }

        if (batch.Length > 0)
        {
            await ExternalCommand.RunAsync("ip", ["-force", "-batch", "-"], batch.ToString(), cancellationToken);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
