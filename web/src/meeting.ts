// The meeting chunk: one session, its screen and the voice panel (whose engine loads on first use).
import { explain, loadMeetingText } from "./i18n";
import { MeetingSession, type Credentials } from "./session";
import { stored } from "./storage";
import { renderMeeting } from "./ui/meetingView";
import { voicePanel } from "./ui/voiceView";

export interface MeetingExits {
  /** The user left; the meeting's title for the landing page's notice. */
  left(title: string): void;
  /** The first join was refused (wrong code, unknown meeting): back to the form with the reason. */
  failed(message: string): void;
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
    exits.failed(explain(error));
    throw error;
  }
  // Keep the link in the address bar so a reload rejoins (the moderator key never goes there: it has its own link).
  const url = new URL(location.href);
  url.search = "";
  url.hash = "";
  url.searchParams.set("meeting", credentials.meetingId);
  if (credentials.joinCode) url.searchParams.set("code", credentials.joinCode);
  history.replaceState(null, "", url);
}
