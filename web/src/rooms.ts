// Discussion rooms (hub/PROTOCOL.md §14): the rooms of the meeting (the newest version wins), where I am, and the
// calls. The session itself follows my room (its chat starts over with the room's); this keeps the list for the
// rooms panel. Only types are imported from the meeting's modules, so this stays in the rooms chunk.
import type { RoomBroadcastView, RoomsView, RoomView } from "./protocol";
import type { MeetingSession } from "./session";

let counter = 0;
const prefix = Math.random().toString(36).slice(2, 10);

export class RoomsController {
  view: RoomsView = { settings: { selfOrganised: false }, rooms: [], version: -1 };
  /** Called after every change of what the panel shows. */
  changed: () => void = () => undefined;
  /** A moderator's broadcast arrived. */
  broadcast: (b: RoomBroadcastView) => void = () => undefined;

  constructor(private readonly session: MeetingSession) {
    const c = session.connection;
    c.on("RoomsUpdated", (rooms) => this.apply(rooms));
    c.on("RoomBroadcast", (b) => this.broadcast(b));
    session.on("joined", () => void this.refresh());
    session.on("room", () => this.changed());
    if (session.me) void this.refresh();
  }

  get rooms(): readonly RoomView[] {
    return this.view.rooms;
  }

  /** Whether I may open a room myself (a self-organised meeting, or a moderator). */
  get mayCreate(): boolean {
    return this.session.isModerator || this.view.settings.selfOrganised;
  }

  /** Whether I may enter this room (moderators anywhere; participants freely when self-organised, else their own). */
  mayJoin(room: RoomView): boolean {
    const me = this.session.me?.participantId ?? "";
    return this.session.isModerator || this.view.settings.selfOrganised || room.assigned.includes(me);
  }

  async refresh(): Promise<void> {
    try {
      this.apply(await this.session.connection.invoke("GetRooms"));
    } catch {
      // A hub without rooms, or the link dropped again: the next join refreshes.
    }
  }

  async join(roomId: string): Promise<void> {
    await this.session.connection.invoke("JoinRoom", roomId);
  }

  async returnToMain(): Promise<void> {
    await this.session.connection.invoke("ReturnToMainRoom");
  }

  async createOpen(name: string): Promise<void> {
    await this.session.connection.invoke("CreateOpenRoom", { name });
    await this.refresh();
  }

  /** Moderators: rooms by name; `shareOut` spreads the participants present (not moderators) over them in turn. */
  async create(names: readonly string[], shareOut: boolean, minutes: number | undefined): Promise<void> {
    const people = shareOut ? [...this.session.participants.values()].filter((p) => p.role !== "Moderator").map((p) => p.participantId) : [];
    const rooms = names.map((name, i) => ({ name, participantIds: people.filter((_, j) => j % names.length === i) }));
    this.apply(await this.session.connection.invoke("CreateRooms", { rooms, timerSeconds: minutes ? Math.round(minutes * 60) : null }));
  }

  async close(roomId: string): Promise<void> {
    this.apply(await this.session.connection.invoke("CloseRoom", roomId));
  }

  async setSelfOrganised(on: boolean): Promise<void> {
    this.apply(await this.session.connection.invoke("SetRoomSettings", { selfOrganised: on }));
  }

  async sendBroadcast(text: string): Promise<void> {
    await this.session.connection.invoke("BroadcastToRooms", { clientMessageId: `${prefix}-b-${Date.now().toString(36)}-${(++counter).toString(36)}`, text });
  }

  private apply(rooms: RoomsView): void {
    if (rooms.version < this.view.version) return;
    this.view = rooms;
    this.changed();
  }
}
