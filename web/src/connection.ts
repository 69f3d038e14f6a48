// One SignalR connection to the meeting hub with the reconnect behaviour PROTOCOL.md §7 asks for:
// jittered exponential backoff that never gives up while the page is open, and a fresh connection (same policy)
// should the automatic reconnect ever stop. Callers see typed methods and camelCase payloads.
import {
  HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel, type HubMessage, type IHubProtocol, type ILogger, type IRetryPolicy,
  type RetryContext, type TransferFormat,
} from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";
import { HubError, type HubCallbacks, type HubMethods, type HubSends } from "./protocol";
import { fromMessagePack, toMessagePack } from "./wire";

export type LinkState = "connecting" | "connected" | "reconnecting" | "stopped";

/**
 * The MessagePack protocol, noting the time of every frame that arrives (pushes, results and the hub's keep-alive
 * pings alike): the link indicator is derived from what actually arrives, not from the socket's idea of being open.
 */
class ObservedProtocol implements IHubProtocol {
  private readonly inner = new MessagePackHubProtocol();
  readonly name = this.inner.name;
  readonly version = this.inner.version;
  readonly transferFormat: TransferFormat = this.inner.transferFormat;

  constructor(private readonly arrived: () => void) {}

  parseMessages(input: string | ArrayBuffer, logger: ILogger): HubMessage[] {
    this.arrived();
    return this.inner.parseMessages(input as ArrayBuffer, logger);
  }

  writeMessage(message: HubMessage): string | ArrayBuffer {
    return this.inner.writeMessage(message);
  }
}

/** delay = random in [0, min(cap, base × 2^attempt)] — never null, so SignalR never gives up. */
export class NeverGiveUpRetryPolicy implements IRetryPolicy {
  constructor(private readonly baseMs = 500, private readonly capMs = 30_000, private readonly random: () => number = Math.random) {}

  nextRetryDelayInMilliseconds(context: RetryContext): number {
    return this.delayFor(context.previousRetryCount);
  }

  delayFor(attempt: number): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(attempt, 16));
    return Math.floor(this.random() * ceiling);
  }
}

export interface ConnectionEvents {
  /** The link changed state (for the banner and the quality indicator); `retryAt` is when the next attempt starts. */
  state(state: LinkState, detail?: string, retryAt?: number): void;
  /** A new or reconnected transport is up and has joined nothing yet: rejoin and catch up. */
  connected(reconnect: boolean): Promise<void>;
}

/** Past one missed keep-alive (the hub pings every 10 s), a network change replaces the connection instead of trusting it. */
const silentRestartMs = 12_000;

type Handler<K extends keyof HubCallbacks> = (...args: HubCallbacks[K]) => void;

export class MeetingConnection {
  private connection: HubConnection;
  private readonly policy = new NeverGiveUpRetryPolicy();
  private readonly handlers = new Map<string, (...args: unknown[]) => void>();
  private stopping = false;
  private restartTimer: number | undefined;
  private restartAttempt = 0;
  private wake: (() => void) | undefined;
  private lastTransport = "—";
  private transportOpened = "";
  private nextRetryAt: number | undefined;
  /** performance.now() of the last frame received (any frame: the hub pings every 10 s). */
  lastReceivedAt = performance.now();

  constructor(private readonly url: string, private readonly events: ConnectionEvents) {
    this.connection = this.build();
    // The browser knows about a network change before any timeout does: reconnect at once instead of waiting.
    window.addEventListener("online", this.onNetworkChange);
    (navigator as Navigator & { connection?: EventTarget }).connection?.addEventListener?.("change", this.onNetworkChange);
  }

  /** How long nothing has arrived. */
  get silentForMs(): number {
    return performance.now() - this.lastReceivedAt;
  }

  get state(): HubConnectionState {
    return this.connection.state;
  }

  get isConnected(): boolean {
    return this.connection.state === HubConnectionState.Connected;
  }

  /** The transport in use, for the quality indicator ("WebSockets", "SSE", "long polling"). */
  get transport(): string {
    return this.connection.state === HubConnectionState.Connected ? this.lastTransport : "—";
  }

  on<K extends keyof HubCallbacks>(name: K, handler: Handler<K>): void {
    const wrapped = (...args: unknown[]) => handler(...(args.map(fromMessagePack) as HubCallbacks[K]));
    this.handlers.set(name, wrapped);
    this.connection.on(name, wrapped);
  }

  async invoke<K extends keyof HubMethods>(name: K, ...args: HubMethods[K]["args"]): Promise<HubMethods[K]["result"]> {
    try {
      const result = await this.connection.invoke(name, ...args.map(toMessagePack));
      return fromMessagePack(result) as HubMethods[K]["result"];
    } catch (error) {
      throw HubError.from(error, name);
    }
  }

  /** Fire and forget (audio, reports). Dropped silently while the link is down: audio is perishable. */
  send<K extends keyof HubSends>(name: K, ...args: HubSends[K]): void {
    if (this.connection.state !== HubConnectionState.Connected) return;
    this.connection.send(name, ...args.map(toMessagePack)).catch(() => undefined);
  }

  /** Connects, retrying with the same jittered backoff until it works or stop() is called. */
  async start(): Promise<void> {
    this.stopping = false;
    await this.connectLoop(false);
  }

  /**
   * Skip the current backoff wait (the "Retry now" button, the network coming back). A connection that looks open
   * but has been silent past a keep-alive is given up and replaced at once.
   */
  retryNow(): void {
    if (this.stopping) return;
    if (this.wake) this.wake();
    // During SignalR's own backoff: stopping it closes the connection, and onclose starts a fresh one at once.
    else if (this.connection.state === HubConnectionState.Reconnecting) void this.connection.stop();
    else if (this.connection.state === HubConnectionState.Connected && this.silentForMs > silentRestartMs) void this.connection.stop();
  }

  private readonly onNetworkChange = () => {
    if (navigator.onLine !== false) this.retryNow();
  };

  async stop(): Promise<void> {
    this.stopping = true;
    window.removeEventListener("online", this.onNetworkChange);
    (navigator as Navigator & { connection?: EventTarget }).connection?.removeEventListener?.("change", this.onNetworkChange);
    window.clearTimeout(this.restartTimer);
    this.wake?.();
    await this.connection.stop();
    this.events.state("stopped");
  }

  private build(): HubConnection {
    const connection = new HubConnectionBuilder()
      .withUrl(this.url)
      .withHubProtocol(new ObservedProtocol(() => (this.lastReceivedAt = performance.now())))
      .withAutomaticReconnect({
        nextRetryDelayInMilliseconds: (context) => {
          const delay = this.policy.nextRetryDelayInMilliseconds(context);
          this.nextRetryAt = Date.now() + delay;
          this.events.state("reconnecting", context.retryReason?.message, this.nextRetryAt);
          return delay;
        },
      })
      // Hubs that allow it resume a briefly dropped WebSocket as the same, still joined connection and replay missed
      // pushes; when that fails (or the hub does not allow it) the full reconnect above takes over.
      .withStatefulReconnect()
      .withServerTimeout(60_000)
      .withKeepAliveInterval(15_000)
      .configureLogging(this.transportLogger())
      .build();
    connection.onreconnecting((error) => {
      this.transportOpened = "";
      this.events.state("reconnecting", error?.message, this.nextRetryAt);
    });
    connection.onreconnected(() => {
      this.lastReceivedAt = performance.now();
      this.noteTransport();
      this.restartAttempt = 0;
      this.events.state("connected");
      void this.events.connected(true);
    });
    connection.onclose(() => {
      if (this.stopping) return;
      // The automatic reconnect stopped (it only does so when the first connect of a reconnect fails in ways it
      // treats as final, or the page slept): start a new connection with the same policy.
      this.events.state("reconnecting", "connection closed");
      this.connection = this.build();
      void this.connectLoop(true);
    });
    for (const [name, handler] of this.handlers) connection.on(name, handler);
    return connection;
  }

  private async connectLoop(reconnect: boolean): Promise<void> {
    this.events.state(reconnect ? "reconnecting" : "connecting");
    for (;;) {
      if (this.stopping) return;
      try {
        this.transportOpened = "";
        await this.connection.start();
        this.lastReceivedAt = performance.now();
        this.noteTransport();
        this.restartAttempt = 0;
        this.events.state("connected");
        await this.events.connected(reconnect);
        return;
      } catch (error) {
        if (this.stopping) return;
        const delay = this.policy.delayFor(this.restartAttempt++);
        this.events.state("reconnecting", error instanceof Error ? error.message : String(error), Date.now() + delay);
        await this.pause(delay);
        reconnect = true;
      }
    }
  }

  /** SignalR says which transport it selected in a debug log line: the logger notes it and passes on only errors. */
  private transportLogger(): ILogger {
    return {
      log: (level: LogLevel, message: string) => {
        const selected = /Selecting transport '(\w+)'/.exec(message)?.[1];
        if (selected) this.transportOpened = selected === "LongPolling" ? "long polling" : selected === "ServerSentEvents" ? "SSE" : selected;
        else if (level >= LogLevel.Error) console.warn(`SignalR: ${message}`);
      },
    };
  }

  private noteTransport(): void {
    this.lastTransport = this.transportOpened || "long polling";
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        window.clearTimeout(this.restartTimer);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      this.restartTimer = window.setTimeout(done, ms);
    });
  }
}
