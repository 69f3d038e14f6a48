// One SignalR connection to the meeting hub with the reconnect behaviour PROTOCOL.md §7 asks for:
// jittered exponential backoff that never gives up while the page is open, and a fresh connection (same policy)
// should the automatic reconnect ever stop. Callers see typed methods and camelCase payloads.
import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel, type ILogger, type IRetryPolicy, type RetryContext } from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";
import { HubError, type HubCallbacks, type HubMethods, type HubSends } from "./protocol";
import { fromMessagePack, toMessagePack } from "./wire";

export type LinkState = "connecting" | "connected" | "reconnecting" | "stopped";

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
  /** The link changed state (for the banner and the quality indicator). */
  state(state: LinkState, detail?: string): void;
  /** A new or reconnected transport is up and has joined nothing yet: rejoin and catch up. */
  connected(reconnect: boolean): Promise<void>;
}

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

  constructor(private readonly url: string, private readonly events: ConnectionEvents) {
    this.connection = this.build();
  }

  get state(): HubConnectionState {
    return this.connection.state;
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

  /** Skip the current backoff wait (the "Reconnect now" button). */
  retryNow(): void {
    if (this.wake) this.wake();
    // During SignalR's own backoff: stopping it closes the connection, and onclose starts a fresh one at once.
    else if (this.connection.state === HubConnectionState.Reconnecting) void this.connection.stop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    window.clearTimeout(this.restartTimer);
    this.wake?.();
    await this.connection.stop();
    this.events.state("stopped");
  }

  private build(): HubConnection {
    const connection = new HubConnectionBuilder()
      .withUrl(this.url)
      .withHubProtocol(new MessagePackHubProtocol())
      .withAutomaticReconnect(this.policy)
      // Hubs that allow it resume a briefly dropped WebSocket as the same, still joined connection and replay missed
      // pushes; when that fails (or the hub does not allow it) the full reconnect above takes over.
      .withStatefulReconnect()
      .withServerTimeout(60_000)
      .withKeepAliveInterval(15_000)
      .configureLogging(this.transportLogger())
      .build();
    connection.onreconnecting((error) => {
      this.transportOpened = "";
      this.events.state("reconnecting", error?.message);
    });
    connection.onreconnected(() => {
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
        this.noteTransport();
        this.restartAttempt = 0;
        this.events.state("connected");
        await this.events.connected(reconnect);
        return;
      } catch (error) {
        if (this.stopping) return;
        this.events.state("reconnecting", error instanceof Error ? error.message : String(error));
        await this.pause(this.policy.delayFor(this.restartAttempt++));
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
