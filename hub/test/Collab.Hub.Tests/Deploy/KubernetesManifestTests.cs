using System.Diagnostics;
using k8s;
using k8s.Models;

namespace Collab.Hub.Tests.Deploy;

/// <summary>
/// docker/kubernetes rendered by <c>kubectl kustomize</c> (offline) and loaded strictly with the Kubernetes client's
/// models: an unknown or misspelt field fails the load. test.sh also checks the rendered output against the API
/// schemas (docker/kubernetes/validate). Then the parts must fit: probes, selectors, the Secret, affinity.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string s_root = FindRepositoryRoot();

    [Theory]
    [InlineData("in-cluster-redis")]
    [InlineData("external-redis")]
    public async Task Each_overlay_renders_loads_strictly_and_its_parts_fit_together(string overlay)
    {
        var objects = KubernetesYaml.LoadAllFromString(await RenderAsync(overlay), strict: true);

        var deployment = Assert.Single(objects.OfType<V1Deployment>());
        var pod = deployment.Spec.Template.Spec;
        var hub = Assert.Single(pod.Containers);
        Assert.Equal("/healthz", ((V1Probe)hub.LivenessProbe).HttpGet.Path);
        Assert.Equal("/readyz", hub.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/healthz", hub.StartupProbe.HttpGet.Path);
        Assert.True(hub.Resources.Requests.ContainsKey("cpu") && hub.Resources.Requests.ContainsKey("memory") && hub.Resources.Limits.ContainsKey("memory"));
        Assert.Contains(pod.TopologySpreadConstraints, spread => spread.TopologyKey == "kubernetes.io/hostname" && spread.WhenUnsatisfiable == "DoNotSchedule");
        Assert.True(deployment.Spec.Replicas >= 2);
        Assert.Equal("registry.example.org/collab-hub:1.0.0", hub.Image);
        var labels = deployment.Spec.Template.Metadata.Labels;
        Assert.All(deployment.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, labels[label.Key]));

        var key = Assert.Single(hub.Env, env => env.Name == "Collab__Conferencing__ResumeTokenKey");
        Assert.Equal("collab-resume-token", key.ValueFrom.SecretKeyRef.Name);
        var metricsPort = Assert.Single(hub.Ports, port => port.Name == "metrics").ContainerPort;
        Assert.Equal(metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(hub.Env, env => env.Name == "Collab__Telemetry__PrometheusPort").Value);
        Assert.Contains($"http://+:{metricsPort}", Assert.Single(hub.Env, env => env.Name == "Urls").Value, StringComparison.Ordinal);

        var service = Assert.Single(objects.OfType<V1Service>(), s => s.Metadata.Name == "collab-hub");
        Assert.All(service.Spec.Selector, label => Assert.Equal(label.Value, labels[label.Key]));
        Assert.DoesNotContain(service.Spec.Ports, port => port.TargetPort.Value == "metrics" || port.Port == metricsPort);
        var budget = Assert.Single(objects.OfType<V1PodDisruptionBudget>());
        Assert.All(budget.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, labels[label.Key]));

        var ingress = Assert.Single(objects.OfType<V1Ingress>());
        Assert.Equal("cookie", ingress.Metadata.Annotations["nginx.ingress.kubernetes.io/affinity"]);
        Assert.Equal("collab_affinity", ingress.Metadata.Annotations["nginx.ingress.kubernetes.io/session-cookie-name"]);
        Assert.NotEmpty(ingress.Spec.Tls);
        var backend = Assert.Single(Assert.Single(ingress.Spec.Rules).Http.Paths).Backend.Service;
        Assert.Equal(service.Metadata.Name, backend.Name);
        Assert.Contains(service.Spec.Ports, port => port.Name == backend.Port.Name);
        Assert.All(objects.OfType<IMetadata<V1ObjectMeta>>().Where(o => o is not V1Namespace), o => Assert.Equal("collab", o.Metadata.NamespaceProperty));

        var redis = overlay == "in-cluster-redis"
            ? Assert.Single(objects.OfType<V1ConfigMap>()).Data["ConnectionStrings__Redis"]
            : Assert.Single(hub.Env, env => env.Name == "ConnectionStrings__Redis").ValueFrom.SecretKeyRef.Name;
        Assert.Equal(overlay == "in-cluster-redis" ? "collab-redis:6379" : "collab-redis", redis);
        if (overlay == "in-cluster-redis")
        {
            Assert.Single(objects.OfType<V1StatefulSet>(), set => set.Metadata.Name == "collab-redis");
            Assert.Single(objects.OfType<V1Service>(), s => s.Metadata.Name == "collab-redis");
        }
    }

    [Fact]
    public async Task A_misspelt_field_fails_the_strict_load()
    {
        var rendered = await RenderAsync("in-cluster-redis");

        var refused = Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(rendered.Replace("imagePullPolicy:", "imagePulPolicy:", StringComparison.Ordinal), strict: true));

        Assert.Contains("imagePulPolicy", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<string> RenderAsync(string overlay)
    {
        var kubectl = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, "kubectl")).FirstOrDefault(File.Exists);
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        Assert.SkipWhen(kubectl is null && !ci, "kubectl is not on PATH (apt-get install kubernetes-client, or run ./test.sh)");
        var start = new ProcessStartInfo(kubectl ?? "kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(Path.Combine(s_root, "docker", "kubernetes", "overlays", overlay));
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {overlay} failed: {await error}");
        return await output;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Collab.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Collab.sln not found above the test binaries.");
    }
}
