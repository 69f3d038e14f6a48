// The hub's HTTP endpoint the landing screen uses (PROTOCOL.md §1); the moderator's export (§8) is in export.ts,
// with the meeting code.
import { responseError } from "./i18n";
import type { CreatedMeeting, MeetingSettings } from "./protocol";

export async function createMeeting(title: string, settings: MeetingSettings): Promise<CreatedMeeting> {
  const response = await fetch("/api/meetings", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ title, settings }),
  });
  if (!response.ok) throw await responseError(response);
  return (await response.json()) as CreatedMeeting;
}
