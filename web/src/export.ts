// The meeting record export for moderators (PROTOCOL.md §8): meeting code only, apart from the landing screen's api.ts.
import { responseError } from "./i18n";

export type ExportKind = "json" | "chat.csv" | "polls.csv";

/** Downloads the meeting record; the key travels in a header, so this fetches and saves a blob. */
export async function downloadExport(meetingId: string, moderatorKey: string, kind: ExportKind): Promise<void> {
  const path = kind === "json" ? "export" : `export/${kind}`;
  const response = await fetch(`/api/meetings/${encodeURIComponent(meetingId)}/${path}`, { headers: { "X-Moderator-Key": moderatorKey } });
  if (!response.ok) throw await responseError(response);
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
