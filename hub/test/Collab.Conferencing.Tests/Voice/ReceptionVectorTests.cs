using System.Text.Json;
using System.Text.Json.Serialization;
using Collab.Codec.Adaptation;
using Collab.Conferencing.Audio;

namespace Collab.Conferencing.Tests.Voice;

/// <summary>
/// codec/test/vectors/reception-report.json from the hub's side: the listeners' ReportReception payloads, as the web
/// client's test holds them to its own field names, bind to <see cref="ReceptionReportRequest"/> field for field (an
/// unknown or renamed field fails), and the hub's percentile over them is the vector's.
/// </summary>
public sealed class ReceptionVectorTests
{
    private static readonly JsonSerializerOptions s_wire = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    [Fact]
    public void The_shared_reception_reports_bind_to_the_hub_request_and_aggregate_to_the_vector()
    {
        using var vector = JsonDocument.Parse(File.ReadAllText(VectorPath()));
        var root = vector.RootElement;
        var aggregator = new ReceptionAggregator(TimeSpan.FromSeconds(10));

        foreach (var listener in root.GetProperty("listeners").EnumerateArray())
        {
            var report = listener.GetProperty("report");
            var request = report.Deserialize<ReceptionReportRequest>(s_wire)!;
            Assert.Equal(report.GetProperty("speakerId").GetString(), request.SpeakerId);
            Assert.Equal(report.GetProperty("lossFraction").GetDouble(), request.LossFraction);
            Assert.Equal(report.GetProperty("packets").GetInt32(), request.Packets);
            aggregator.Record(listener.GetProperty("listenerId").GetString()!, request.ToReport(), TimeSpan.Zero);
        }

        var aggregated = aggregator.Snapshot(root.GetProperty("percentile").GetDouble(), TimeSpan.FromSeconds(1));
        var expected = root.GetProperty("aggregated");
        Assert.Equal(expected.GetProperty("listeners").GetInt32(), aggregated.Listeners);
        Assert.Equal(expected.GetProperty("lossFraction").GetDouble(), aggregated.LossFraction);
        Assert.Equal(expected.GetProperty("meanLossBurstMs").GetDouble(), aggregated.MeanLossBurstMilliseconds);
        Assert.Equal(expected.GetProperty("worstLossFraction").GetDouble(), aggregated.WorstLossFraction);
    }

    private static string VectorPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Collab.sln")))
            {
                return Path.Combine(dir.FullName, "codec", "test", "vectors", "reception-report.json");
            }
        }

        throw new InvalidOperationException("The repository root (Collab.sln) is not above the test's directory.");
    }
}
