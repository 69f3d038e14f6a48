// Chat in sequence order (PROTOCOL.md §5): drop duplicates, buffer pushes that arrive ahead of a gap, fill a gap
// that lasts ~1 s with GetChatSince, catch up after every reconnect, and resend unacknowledged messages with the
// same client message id.
import type { ChatMessage, ChatPage } from "./protocol";

export interface ChatSink {
  appended(messages: readonly ChatMessage[]): void;
  truncated(): void;
}

const pageSize = 200;
const maxPagesPerCatchUp = 50;

export class ChatLog {
  private last = 0;
  private ready = false;
  private readonly ahead = new Map<number, ChatMessage>();
  private gapTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly since: (after: number, limit: number) => Promise<ChatPage>, private readonly sink: ChatSink) {}

  get lastSequence(): number {
    return this.last;
  }

  /** The history shown on first join; pushes that arrived meanwhile wait in the buffer. */
  startFrom(history: readonly ChatMessage[]): void {
    this.ready = true;
    this.take(history);
    this.drain();
  }

  /** A pushed or returned message. */
  accept(message: ChatMessage): void {
    if (message.sequence <= this.last) return;
    this.ahead.set(message.sequence, message);
    if (!this.ready) return;
    this.drain();
    if (this.ahead.size > 0 && this.gapTimer === undefined) {
      this.gapTimer = globalThis.setTimeout(() => {
        this.gapTimer = undefined;
        void this.catchUp().catch(() => undefined);
      }, 1000);
    }
  }

  /** GetChatSince(last) until nothing more (bounded), merging by sequence. */
  async catchUp(): Promise<void> {
    if (!this.ready) return;
    for (let page = 0; page < maxPagesPerCatchUp; page++) {
      const result = await this.since(this.last, pageSize);
      if (result.truncated) this.sink.truncated();
      this.take(result.messages);
      this.drain();
      if (!result.hasMore || result.messages.length === 0) return;
    }
  }

  private take(messages: readonly ChatMessage[]): void {
    for (const message of messages) if (message.sequence > this.last) this.ahead.set(message.sequence, message);
    // History and catch-up pages may start past a trimmed gap: the first message after `last` in a page is next.
    const sorted = [...this.ahead.keys()].sort((a, b) => a - b);
    const firstFromPage = messages.length > 0 ? Math.min(...messages.map((m) => m.sequence)) : undefined;
    if (firstFromPage !== undefined && firstFromPage > this.last && sorted[0] === firstFromPage) this.last = firstFromPage - 1;
  }

  private drain(): void {
    const out: ChatMessage[] = [];
    for (let next = this.ahead.get(this.last + 1); next; next = this.ahead.get(this.last + 1)) {
      this.ahead.delete(next.sequence);
      this.last = next.sequence;
      out.push(next);
    }
    for (const seq of this.ahead.keys()) if (seq <= this.last) this.ahead.delete(seq);
    if (this.ahead.size === 0 && this.gapTimer !== undefined) {
      globalThis.clearTimeout(this.gapTimer);
      this.gapTimer = undefined;
    }
    if (out.length > 0) this.sink.appended(out);
  }
}
