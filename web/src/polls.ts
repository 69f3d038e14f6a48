// Poll state: the newest tally wins (highest version; once final, never a non-final one), and my ballots.
import type { BallotView, PollTally, PollView } from "./protocol";

export class PollBook {
  private readonly polls = new Map<string, PollView>();
  private readonly ballots = new Map<string, number[]>();

  get all(): PollView[] {
    return [...this.polls.values()];
  }

  get(pollId: string): PollView | undefined {
    return this.polls.get(pollId);
  }

  ballot(pollId: string): readonly number[] | undefined {
    return this.ballots.get(pollId);
  }

  /** A snapshot (join or rejoin): replaces everything, keeping newer tallies already seen. */
  reset(polls: readonly PollView[], ballots: readonly BallotView[]): void {
    const previous = new Map(this.polls);
    this.polls.clear();
    for (const poll of polls) {
      const known = previous.get(poll.pollId);
      this.polls.set(poll.pollId, known ? { ...poll, tally: newer(known.tally, poll.tally) } : poll);
    }
    this.ballots.clear();
    for (const ballot of ballots) this.ballots.set(ballot.pollId, [...ballot.optionIndexes]);
  }

  /** PollUpdated: state and definition from the push, tally whichever is newer. */
  update(poll: PollView): PollView {
    const known = this.polls.get(poll.pollId);
    const merged = known ? { ...poll, tally: newer(known.tally, poll.tally) } : poll;
    this.polls.set(poll.pollId, merged);
    return merged;
  }

  /** PollTallyUpdated. Returns the poll when the tally changed what we show. */
  tally(tally: PollTally): PollView | undefined {
    const known = this.polls.get(tally.pollId);
    if (!known) return undefined;
    const chosen = newer(known.tally, tally);
    if (chosen === known.tally) return undefined;
    const merged = { ...known, tally: chosen };
    this.polls.set(tally.pollId, merged);
    return merged;
  }

  voted(ballot: BallotView): void {
    this.ballots.set(ballot.pollId, [...ballot.optionIndexes]);
  }
}

export function newer(current: PollTally, incoming: PollTally): PollTally {
  if (current.final && !incoming.final) return current;
  if (incoming.final && !current.final) return incoming;
  return incoming.version > current.version ? incoming : current;
}
