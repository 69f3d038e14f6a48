// The meeting chunk: one session, its screen and the voice panel (whose engine loads on first use).
import { describeError, explain, loadMeetingText } from "./i18n";
import { MeetingSession, type Credentials } from "./session";
import { stored } from "./storage";
import type { Text } from "./ui/dom";
import { renderMeeting } from "./ui/meetingView";
import { voicePanel } from "./ui/voiceView";

export interface MeetingExits {
  /** The user left; the meeting's title for the landing page's notice. */
  left(title: string): void;
  /** The first join was refused (wrong code, unknown meeting): back to the form with the reason. */
  failed(message: Text): void;
  /** The meeting is gone or ended and the user chose to start again. */
  startOver(): void;
}

export async function joinMeeting(root: HTMLElement, credentials: Credentials, joinCode: string | undefined, exits: MeetingExits): Promise<void> {
  await loadMeetingText();
  const session = new MeetingSession(credentials);
  const voice = voicePanel(session);
  const leave = async () => {
    voice.dispose();
    const title = session.title;
    await session.leave();
    stored.forget(credentials.meetingId);
    history.replaceState(null, "", location.pathname);
    exits.left(title);
  };
  renderMeeting(root, session, joinCode ?? credentials.joinCode, voice, {
    leave: () => void leave(),
    startOver: () => {
      voice.dispose();
      void session.close();
      exits.startOver();
    },
  });
  try {
    await session.start();
  } catch (error) {
    voice.dispose();
    explain(error);
    exits.failed(() => describeError(error));
    throw error;
  }
  // Keep the link in the address bar so a reload rejoins (the moderator key never goes there: it has its own link).
  const url = new URL(location.href);
  const lang = url.searchParams.get("lang");
  url.search = "";
  url.hash = "";
  url.searchParams.set("meeting", credentials.meetingId);
  if (credentials.joinCode) url.searchParams.set("code", credentials.joinCode);
  if (lang) url.searchParams.set("lang", lang);
  history.replaceState(null, "", url);
}
