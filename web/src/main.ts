// Entry point: the landing screen, then the meeting screen; the voice engine loads only when used.
import { MeetingSession } from "./session";
import { renderLanding, type LandingResult } from "./ui/landing";
import { renderMeeting } from "./ui/meetingView";
import { voicePanel } from "./ui/voiceView";

const root = document.getElementById("app") as HTMLElement;
const params = new URLSearchParams(location.search);

async function enter({ credentials, joinCode }: LandingResult): Promise<void> {
  const session = new MeetingSession(credentials);
  const voice = voicePanel(session);
  renderMeeting(root, session, joinCode ?? credentials.joinCode, voice.element, voice.speaking, () => void leave(session, voice.dispose));
  try {
    await session.start();
  } catch (error) {
    voice.dispose();
    showLanding(error instanceof Error ? error.message : String(error));
    throw error;
  }
  // Keep the link in the address bar (without the code for moderators, who share it explicitly), so a reload rejoins.
  const url = new URL(location.href);
  url.search = "";
  url.searchParams.set("meeting", credentials.meetingId);
  if (credentials.joinCode) url.searchParams.set("code", credentials.joinCode);
  history.replaceState(null, "", url);
}

async function leave(session: MeetingSession, disposeVoice: () => void): Promise<void> {
  disposeVoice();
  await session.leave();
  history.replaceState(null, "", location.pathname);
  showLanding();
}

function showLanding(message?: string): void {
  renderLanding(root, new URLSearchParams(location.search), enter, message);
}

// A reload in a tab that already joined: rejoin with the resume token (or the moderator key) without asking again.
const meetingId = params.get("meeting");
const resumable = meetingId && (sessionStorage.getItem(`collab:${meetingId}:resume`) || sessionStorage.getItem(`collab:${meetingId}:moderator`));
if (meetingId && resumable) {
  const moderatorKey = sessionStorage.getItem(`collab:${meetingId}:moderator`) ?? undefined;
  const code = params.get("code") ?? undefined;
  void enter({
    credentials: {
      meetingId, displayName: localStorage.getItem("collab:name") ?? "Guest",
      ...(moderatorKey ? { moderatorKey } : {}), ...(code ? { joinCode: code } : {}),
    },
  }).catch(() => undefined);
} else {
  showLanding();
}
