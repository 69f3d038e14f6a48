using Collab.Codec.Adaptation;

namespace Collab.Conferencing.Audio;

public static class ReceptionReportRequestExtensions
{
    /// <summary>The listener's report (a contract record) as the codec's reception figures.</summary>
    public static ReceptionReport ToReport(this ReceptionReportRequest request) =>
        new(request.LossFraction, request.MeanLossBurstMs, request.LateFraction, request.JitterMs, request.ConcealedFraction, Math.Max(0, request.Packets));
}
