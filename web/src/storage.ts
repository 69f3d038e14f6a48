// Everything the client keeps in browser storage, in one place. Per tab (sessionStorage, survives a reload): the
// resume token, the moderator key, the join code and the outbox of unacknowledged messages. Per browser
// (localStorage): the display name and the language chosen in the menu.
export interface StoredMessage { clientMessageId: string; text: string; queuedAt: number }

const key = (meetingId: string, what: string) => `collab:${meetingId}:${what}`;

/** Strings are stored as they are; anything else as JSON. */
function text(storage: Storage, name: string): string | undefined {
  try {
    return storage.getItem(name) ?? undefined;
  } catch {
    return undefined;
  }
}

function json<T>(storage: Storage, name: string): T | undefined {
  const raw = text(storage, name);
  try {
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  } catch {
    return undefined;
  }
}

function write(storage: Storage, name: string, value: string | undefined): void {
  try {
    if (value === undefined) storage.removeItem(name); else storage.setItem(name, value);
  } catch {
    // Storage full or disabled (private mode): the page still works, it only forgets on reload.
  }
}

export const stored = {
  name: () => text(localStorage, "collab:name") ?? "",
  setName: (name: string) => write(localStorage, "collab:name", name),
  /** The language chosen in the menu (a BCP 47 tag; whatever is stored is checked before use). */
  language: () => text(localStorage, "collab:lang"),
  setLanguage: (lang: string) => write(localStorage, "collab:lang", lang),
  resumeToken: (meetingId: string) => text(sessionStorage, key(meetingId, "resume")),
  setResumeToken: (meetingId: string, token: string | undefined) => write(sessionStorage, key(meetingId, "resume"), token),
  moderatorKey: (meetingId: string) => text(sessionStorage, key(meetingId, "moderator")),
  setModeratorKey: (meetingId: string, moderatorKey: string) => write(sessionStorage, key(meetingId, "moderator"), moderatorKey),
  joinCode: (meetingId: string) => text(sessionStorage, key(meetingId, "code")),
  setJoinCode: (meetingId: string, code: string) => write(sessionStorage, key(meetingId, "code"), code),
  /** Whether the moderator confirmed saving the moderator link (it is shown until then). */
  moderatorLinkSaved: (meetingId: string) => text(sessionStorage, key(meetingId, "modlink-saved")) === "1",
  setModeratorLinkSaved: (meetingId: string) => write(sessionStorage, key(meetingId, "modlink-saved"), "1"),
  outbox: (meetingId: string) => json<StoredMessage[]>(sessionStorage, key(meetingId, "outbox")) ?? [],
  setOutbox: (meetingId: string, messages: readonly StoredMessage[]) => write(sessionStorage, key(meetingId, "outbox"), messages.length > 0 ? JSON.stringify(messages) : undefined),
  /** Leaving or an ended meeting: forget the tab's way back in (the name stays). */
  forget: (meetingId: string) => {
    for (const what of ["resume", "moderator", "code", "outbox", "modlink-saved"]) sessionStorage.removeItem(key(meetingId, what));
  },
};
