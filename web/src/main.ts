// Entry point: the landing screen. The meeting (SignalR, MessagePack, its views) is a separate chunk fetched as soon as
// the form is up, so a phone on a slow link sees the form first; voice loads only when used.
import type { Credentials } from "./session";
import { initialLanguage, isolate, setLanguage, t } from "./i18n";
import { stored } from "./storage";
import { renderLanding, type LandingResult, type LandingState } from "./ui/landing";

const root = document.getElementById("app") as HTMLElement;
const meetingModule = () => import("./meeting");

async function enter({ credentials, joinCode }: LandingResult): Promise<void> {
  const { joinMeeting } = await meetingModule();
  await joinMeeting(root, credentials, joinCode, {
    left: (title) => showLanding({ notice: title ? () => t("landing.left", { title: isolate(title) }) : () => t("landing.leftUntitled") }),
    failed: (message) => showLanding({ error: message }),
    startOver: () => {
      history.replaceState(null, "", location.pathname);
      showLanding({});
    },
  });
}

function showLanding(state: LandingState): void {
  renderLanding(root, new URLSearchParams(location.search), enter, state);
}

// A moderator link (…?meeting=ID#moderator=KEY): keep the key for this tab and take it out of the address bar.
const params = new URLSearchParams(location.search);
const meetingId = params.get("meeting");
const linkKey = new URLSearchParams(location.hash.slice(1)).get("moderator");
if (meetingId && linkKey) {
  stored.setModeratorKey(meetingId, linkKey);
  stored.setModeratorLinkSaved(meetingId);
  history.replaceState(null, "", `${location.pathname}${location.search}`);
}

// The language before any screen (?lang=, the one chosen before, the browser's, English): every view renders its
// text from it, and the language menu on every screen switches it in place.
await setLanguage(initialLanguage(params, navigator.languages));

// A reload in a tab that already joined: rejoin with the resume token without asking again. A moderator key alone
// (a moderator link opened in a new tab) asks for the name first.
if (meetingId && stored.resumeToken(meetingId)) {
  const moderatorKey = stored.moderatorKey(meetingId);
  const code = params.get("code") ?? stored.joinCode(meetingId);
  const credentials: Credentials = {
    meetingId, displayName: stored.name() || "Guest",
    ...(moderatorKey ? { moderatorKey } : {}), ...(code ? { joinCode: code } : {}),
  };
  void enter({ credentials }).catch(() => undefined);
} else {
  showLanding({});
  // Fetch the meeting code while the user fills in the form.
  void meetingModule().catch(() => undefined);
}
