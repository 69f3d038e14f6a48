// The codec module's voice ladder and link adapter (codec/src/Collab.Codec/Profiles/ProfileLadder.cs,
// Adaptation/LinkAdapter.cs, Adaptation/RungTolerance.cs), ported rung for rung: the same ids travel in packets.

export type Band = "narrow" | "wide" | "super-wide";

/** One redundant block: the frame `distance` packets back, copied exactly or (with `bitrate`) re-encoded at that rate. */
export interface RedundantCopy { distance: number; bitrate?: number }

export interface VoiceProfile {
  id: number;
  name: string;
  bitrate: number;
  frameMs: 20 | 40 | 60 | 120;
  band: Band;
  complexity: number;
  inbandFec: boolean;
  expectedLossPercent: number;
  redundantFrames: 0 | 1 | 2;
  /** What the blocks carry, oldest first (VoiceProfile.Redundancy); by default the previous frames, exact. */
  redundancy: readonly RedundantCopy[];
  dtx: boolean;
  framesPerMessage: number;
}

const p = (id: number, name: string, bitrate: number, frameMs: 20 | 40 | 60 | 120, band: Band, inbandFec: boolean, expectedLossPercent: number, redundantFrames: 0 | 1 | 2, framesPerMessage: number, redundancy?: RedundantCopy[]): VoiceProfile =>
  ({
    id, name, bitrate, frameMs, band, complexity: 8, inbandFec, expectedLossPercent, redundantFrames,
    redundancy: redundancy ?? Array.from({ length: redundantFrames }, (_, i) => ({ distance: redundantFrames - i })),
    dtx: true, framesPerMessage,
  });

export const ladder: readonly VoiceProfile[] = [
  p(0, "lifeline", 6_000, 60, "narrow", false, 0, 0, 2),
  p(1, "narrow-red", 8_000, 60, "narrow", false, 10, 1, 1),
  p(2, "burst-red", 7_000, 60, "narrow", false, 20, 2, 1),
  p(3, "wide-red", 10_000, 60, "wide", false, 10, 1, 1),
  p(4, "standard", 16_000, 40, "wide", false, 0, 0, 2),
  p(5, "wide-fec", 24_000, 40, "wide", true, 5, 0, 1),
  p(6, "clear", 32_000, 20, "super-wide", false, 0, 0, 1),
  p(7, "heavy-red", 10_000, 120, "narrow", false, 20, 2, 1, [{ distance: 2, bitrate: 6_000 }, { distance: 1 }]),
];

/** The bitrate of a rung's re-encoded copies (a second encoder), or undefined when every copy is exact. */
export const copyBitrate = (profile: VoiceProfile): number | undefined => profile.redundancy.find((c) => c.bitrate !== undefined)?.bitrate;

export const defaultProfile = ladder[4] as VoiceProfile;

export const profileById = (id: number): VoiceProfile | undefined => ladder[id];

/** WireOverhead.BytesPerMessage: SignalR 25 B and WebSocket 8 B of framing, then TLS 29 B, TCP 32 B and IPv4 20 B per segment. */
export const wireBytesPerMessage = 25 + 8 + 29 + 32 + 20;
const headerBytes = 10;
const redundancyBlockHeaderBytes = 3;

export function nominalWireKbps(profile: VoiceProfile): number {
  const messagesPerSecond = 1000 / (profile.frameMs * profile.framesPerMessage);
  const payload = (profile.bitrate + profile.redundancy.reduce((n, c) => n + (c.bitrate ?? profile.bitrate), 0)) / 1000;
  const headers = ((1000 / profile.frameMs) * (headerBytes + profile.redundantFrames * redundancyBlockHeaderBytes) * 8) / 1000;
  return payload + headers + (messagesPerSecond * wireBytesPerMessage * 8) / 1000;
}

interface Tolerance { profile: VoiceProfile; maxLoss: number; maxBurstMs: number }
const byId = (id: number) => ladder[id] as VoiceProfile;
/** Best sounding first; how much loss each keeps intelligible (codec/README.md). */
const byPreference: readonly Tolerance[] = [
  { profile: byId(6), maxLoss: 0.01, maxBurstMs: Infinity },
  { profile: byId(5), maxLoss: 0.08, maxBurstMs: 80 },
  { profile: byId(4), maxLoss: 0.02, maxBurstMs: Infinity },
  { profile: byId(3), maxLoss: 0.15, maxBurstMs: 80 },
  { profile: byId(7), maxLoss: 0.35, maxBurstMs: Infinity },
  { profile: byId(2), maxLoss: 0.35, maxBurstMs: Infinity },
  { profile: byId(1), maxLoss: 0.2, maxBurstMs: 80 },
  { profile: byId(0), maxLoss: 0.05, maxBurstMs: Infinity },
];

/** How good a rung sounds: 0 is the best (the adapter's order of preference). */
export const qualityRank = (profile: VoiceProfile): number => byPreference.findIndex((t) => t.profile.id === profile.id);

/** availableKbps: the uplink's measured capacity on the wire (UplinkCapacityEstimator), when known. */
export interface LinkReport { lossFraction: number; meanLossBurstMs: number; lateFraction: number; roundTripMs: number; sendBacklogMs: number; availableKbps?: number; packets?: number }
export interface LinkDecision { profile: VoiceProfile; expectedLossPercent: number; changed: boolean; reason: string }

const options = { upgradeHoldMs: 8_000, maxUpgradeHoldMs: 64_000, flapWindowMs: 20_000, attack: 0.5, release: 0.2, fullConfidencePackets: 25, congestionBacklogMs: 200, congestionReports: 2, capacityMemoryMs: 120_000, headroom: 0.7, longRttMs: 400, veryLongRttMs: 1_000 };

/** Downgrade at once, upgrade one rung after a hold, hold doubles after a failed upgrade. Deterministic. */
export class LinkAdapter {
  current: VoiceProfile;
  expectedLossPercent: number;
  private loss = 0;
  private burst = 0;
  private hasEstimate = false;
  private betterSince: number | undefined;
  private lastUpgradeAt: number | undefined;
  private hold = options.upgradeHoldMs;
  private capacity: number | undefined;
  private capacityAt = 0;
  private backloggedReports = 0;
  private congestionCeiling: number | undefined;

  constructor(initial: VoiceProfile = defaultProfile) {
    this.current = initial;
    this.expectedLossPercent = initial.expectedLossPercent;
  }

  update(report: LinkReport, nowMs: number): LinkDecision {
    const loss = Math.min(1, Math.max(0, Math.max(report.lossFraction, report.lateFraction)));
    const confidence = report.packets === undefined ? 1 : Math.min(1, Math.max(0, report.packets / options.fullConfidencePackets));
    this.loss = this.smooth(this.loss, loss, confidence);
    if (report.meanLossBurstMs > 0 || loss === 0) this.burst = loss === 0 ? this.burst : this.smooth(this.burst, report.meanLossBurstMs, confidence);
    this.hasEstimate = true;

    const minFrame = report.roundTripMs >= options.veryLongRttMs ? 60 : report.roundTripMs >= options.longRttMs ? 40 : 20;
    const budget = this.budget(report, nowMs);
    const burst = this.loss > 0 ? this.burst : 0;
    const affords = (t: Tolerance) => t.profile.frameMs >= minFrame && nominalWireKbps(t.profile) <= budget;
    const fits = (t: Tolerance) => affords(t) && this.loss <= t.maxLoss && burst <= t.maxBurstMs;
    const rank = byPreference.findIndex((t) => t.profile.id === this.current.id);
    const link = `loss ${(this.loss * 100).toFixed(1)} %, burst ${burst.toFixed(0)} ms`;

    if (!fits(byPreference[rank] as Tolerance)) {
      if (this.lastUpgradeAt !== undefined && nowMs - this.lastUpgradeAt < options.flapWindowMs) this.hold = Math.min(this.hold * 2, options.maxUpgradeHoldMs);
      this.betterSince = undefined;
      this.lastUpgradeAt = undefined;
      const affordable = byPreference.filter(affords);
      const chosen = affordable.find(fits)
        ?? [...affordable].sort((a, b) => b.profile.redundantFrames - a.profile.redundantFrames || Number(b.profile.inbandFec) - Number(a.profile.inbandFec))[0]
        ?? (byPreference[byPreference.length - 1] as Tolerance);
      return this.switchTo(chosen.profile, `the link no longer fits ${this.current.name}: ${link}`);
    }
    if (this.lastUpgradeAt !== undefined && nowMs - this.lastUpgradeAt >= options.flapWindowMs) {
      this.hold = options.upgradeHoldMs;
      this.lastUpgradeAt = undefined;
    }
    const better = byPreference.slice(0, rank).filter(fits).pop();
    if (!better) {
      this.betterSince = undefined;
      return this.switchTo(this.current, `hold: ${this.current.name} is the best rung that fits (${link})`);
    }
    this.betterSince ??= nowMs;
    if (nowMs - this.betterSince < this.hold) return this.switchTo(this.current, `${better.profile.name} would fit; waiting`);
    this.betterSince = undefined;
    this.lastUpgradeAt = nowMs;
    return this.switchTo(better.profile, `upgrade one rung after ${this.hold / 1000} s of a better link (${link})`);
  }

  /** The remembered capacity with headroom; capped once per congestion episode, when the backlog persists. */
  private budget(report: LinkReport, nowMs: number): number {
    if (report.availableKbps !== undefined && Number.isFinite(report.availableKbps) && report.availableKbps > 0) {
      this.capacity = report.availableKbps;
      this.capacityAt = nowMs;
    } else if (this.capacity !== undefined && nowMs - this.capacityAt >= options.capacityMemoryMs) this.capacity = undefined;
    this.backloggedReports = report.sendBacklogMs > options.congestionBacklogMs ? this.backloggedReports + 1 : 0;
    if (this.backloggedReports < options.congestionReports) this.congestionCeiling = undefined;
    else this.congestionCeiling ??= nominalWireKbps(this.current) * 0.7;
    return Math.min(this.capacity === undefined ? Infinity : this.capacity * options.headroom, this.congestionCeiling ?? Infinity);
  }

  private smooth(estimate: number, sample: number, confidence: number): number {
    const weight = !this.hasEstimate ? 1 : confidence * (sample > estimate ? options.attack : options.release);
    return estimate + weight * (sample - estimate);
  }

  private switchTo(profile: VoiceProfile, reason: string): LinkDecision {
    const changed = profile.id !== this.current.id;
    this.current = profile;
    this.expectedLossPercent = profile.redundantFrames > 0 ? profile.expectedLossPercent : Math.max(profile.expectedLossPercent, Math.ceil(this.loss * 100 - 1e-9));
    return { profile, expectedLossPercent: this.expectedLossPercent, changed, reason };
  }
}

/**
 * UplinkCapacityEstimator: while the hub's uplink delay grows over two intervals in a row (the queue at least
 * `queuedMs` at the start of the last), the speaker overloads the link, which carried what was sent less what the
 * queue grew by: capacity = sent / (interval + growth). A retransmission stall rises once and drains: no estimate.
 */
export class UplinkCapacityEstimator {
  private lastDelay: number | undefined;
  private delayBefore: number | undefined;
  private lastAt = 0;
  private lastSent = 0;

  constructor(private readonly queuedMs = 100) {}

  update(sentWireKilobitsTotal: number, nowMs: number, uplinkDelayMs: number): number | undefined {
    const earlier = this.delayBefore;
    const before = this.lastDelay;
    const interval = nowMs - this.lastAt;
    const sent = sentWireKilobitsTotal - this.lastSent;
    this.delayBefore = this.lastDelay;
    this.lastDelay = uplinkDelayMs;
    this.lastAt = nowMs;
    this.lastSent = sentWireKilobitsTotal;
    if (earlier === undefined || before === undefined || !(earlier < before && before < uplinkDelayMs) || before < this.queuedMs || interval <= 0 || sent <= 0) return undefined;
    return sent / ((interval + (uplinkDelayMs - before)) / 1000);
  }
}

/** Wire kilobits of `messages` hub messages holding `payloadBytes` bytes of batches. */
export const wireKilobits = (payloadBytes: number, messages: number): number => ((payloadBytes + messages * wireBytesPerMessage) * 8) / 1000;
