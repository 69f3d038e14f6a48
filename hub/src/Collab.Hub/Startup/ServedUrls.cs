using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Collab.Hub.Startup;

/// <summary>
/// The URLs people can open, from the addresses Kestrel bound. A wildcard binding (<c>0.0.0.0</c>, <c>[::]</c>) is
/// shown as <c>localhost</c> plus every address of this machine on its networks, so an organiser on a venue laptop
/// sees the URL to give phones on the local Wi-Fi.
/// </summary>
public static class ServedUrls
{
    public static IReadOnlyList<ServedUrl> Expand(IEnumerable<string> boundAddresses, IEnumerable<IPAddress> networkAddresses)
    {
        var network = networkAddresses.Where(address => !IPAddress.IsLoopback(address)).ToList();
        var urls = new List<ServedUrl>();
        foreach (var bound in boundAddresses)
        {
            if (!Uri.TryCreate(bound, UriKind.Absolute, out var uri) || !IPAddress.TryParse(uri.Host, out var host))
            {
                urls.Add(new ServedUrl(bound, ServedUrlReach.AsBound));
                continue;
            }

            if (!host.Equals(IPAddress.Any) && !host.Equals(IPAddress.IPv6Any))
            {
                urls.Add(new ServedUrl(bound, IPAddress.IsLoopback(host) ? ServedUrlReach.ThisMachine : ServedUrlReach.Network));
                continue;
            }

            urls.Add(new ServedUrl(With(uri, "localhost"), ServedUrlReach.ThisMachine));
            // [::] is dual-stack in Kestrel: it serves IPv4 too. Link-local IPv6 needs a zone id no phone types.
            foreach (var address in network.Where(address => address.AddressFamily == AddressFamily.InterNetwork
                         || (host.Equals(IPAddress.IPv6Any) && address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv6LinkLocal)))
            {
                urls.Add(new ServedUrl(With(uri, address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString()), ServedUrlReach.Network));
            }
        }

        return urls;
    }

    /// <summary>The unicast addresses of this machine's network interfaces that are up.</summary>
    public static IEnumerable<IPAddress> MachineAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus == OperationalStatus.Up && nic.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address);

    private static string With(Uri uri, string host) => $"{uri.Scheme}://{host}:{uri.Port}{uri.AbsolutePath.TrimEnd('/')}";
}

public sealed record ServedUrl(string Url, ServedUrlReach Reach);

public enum ServedUrlReach
{
    /// <summary>Only this machine can open it.</summary>
    ThisMachine,

    /// <summary>Other devices on the network can open it.</summary>
    Network,

    /// <summary>A host name, shown as bound.</summary>
    AsBound,
}
