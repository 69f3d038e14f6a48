// The hub's HTTP endpoints (PROTOCOL.md §1 and §8).
import { httpError } from "./i18n";
import type { CreatedMeeting, MeetingSettings } from "./protocol";

export async function createMeeting(title: string, settings: MeetingSettings): Promise<CreatedMeeting> {
  const response = await fetch("/api/meetings", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ title, settings }),
  });
  if (!response.ok) throw httpError(response.status, await problem(response));
  return (await response.json()) as CreatedMeeting;
}

export type ExportKind = "json" | "chat.csv" | "polls.csv";

/** Downloads the meeting record; the key travels in a header, so this fetches and saves a blob. */
export async function downloadExport(meetingId: string, moderatorKey: string, kind: ExportKind): Promise<void> {
  const path = kind === "json" ? "export" : `export/${kind}`;
  const response = await fetch(`/api/meetings/${encodeURIComponent(meetingId)}/${path}`, { headers: { "X-Moderator-Key": moderatorKey } });
  if (!response.ok) throw httpError(response.status, await problem(response));
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = `meeting-${meetingId}-${kind === "json" ? "record.json" : kind}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function problem(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { title?: string; detail?: string };
    return body.detail ?? body.title ?? `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}
