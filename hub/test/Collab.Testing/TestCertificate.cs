using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Collab.Testing;

/// <summary>
/// A self-signed certificate made for one test run, written as PEM files (what Kestrel's
/// <c>Certificate:Path</c>/<c>KeyPath</c> and nginx read), valid for localhost, 127.0.0.1 and <see cref="VenueHost"/>.
/// Clients trust exactly this certificate (<see cref="Validate"/>), never any certificate.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    /// <summary>A name that is not localhost, for tests of what a browser allows on a real host name.</summary>
    public const string VenueHost = "venue.collab.test";

    private readonly string _directory;

    private TestCertificate(string directory, X509Certificate2 certificate)
    {
        _directory = directory;
        Certificate = certificate;
        CertificatePath = Path.Combine(directory, "tls.crt");
        KeyPath = Path.Combine(directory, "tls.key");
    }

    public X509Certificate2 Certificate { get; }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    /// <summary>The SHA-256 of the public key, base64: what Chromium's <c>--ignore-certificate-errors-spki-list</c> takes.</summary>
    public string SpkiSha256 => Convert.ToBase64String(SHA256.HashData(Certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    public static TestCertificate Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Collab test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName(VenueHost);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));

        var directory = Directory.CreateTempSubdirectory("collab-tls-").FullName;
        var created = new TestCertificate(directory, certificate);
        File.WriteAllText(created.CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(created.KeyPath, key.ExportPkcs8PrivateKeyPem());
        return created;
    }

    /// <summary>Accepts exactly this certificate: for <c>ServerCertificateCustomValidationCallback</c> and WebSockets.</summary>
    public bool Validate(X509Certificate? presented) =>
        presented is not null && presented.GetCertHash(HashAlgorithmName.SHA256).AsSpan().SequenceEqual(Certificate.GetCertHash(HashAlgorithmName.SHA256));

    /// <summary>The Kestrel settings of an HTTPS endpoint on a free loopback port with this certificate, plus a plain HTTP one.</summary>
    public (string Key, string Value)[] KestrelSettings() =>
    [
        ("Kestrel:Endpoints:Http:Url", "http://127.0.0.1:0"),
        ("Kestrel:Endpoints:Https:Url", "https://127.0.0.1:0"),
        ("Kestrel:Endpoints:Https:Certificate:Path", CertificatePath),
        ("Kestrel:Endpoints:Https:Certificate:KeyPath", KeyPath),
    ];

    public void Dispose()
    {
        Certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
