using System.ComponentModel.DataAnnotations;

namespace Collab.Hub.Https;

/// <summary>
/// What the hub does when it serves HTTPS itself (a Kestrel endpoint with an https URL, its certificate from
/// <c>Kestrel:Endpoints:NAME:Certificate:Path</c>/<c>KeyPath</c>). Behind a TLS-terminating proxy the hub serves
/// plain HTTP and the proxy redirects and sends HSTS (docker/nginx.conf does).
/// </summary>
public sealed class HttpsOptions
{
    public const string SectionName = "Collab:Https";

    /// <summary>Strict-Transport-Security max-age. Browsers then refuse plain HTTP to this host for that long.</summary>
    [Range(0, 3650)]
    public int HstsMaxAgeDays { get; set; } = 365;

    /// <summary>Whether HSTS covers subdomains too (only when every subdomain serves HTTPS).</summary>
    public bool HstsIncludeSubDomains { get; set; }

    /// <summary>Whether plain HTTP requests are redirected to the HTTPS endpoint (health probes never are).</summary>
    public bool RedirectHttp { get; set; } = true;
}
