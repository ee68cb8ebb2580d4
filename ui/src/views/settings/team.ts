// The settings' "Team" section: the team's PostgreSQL server, the rep's
// user there and the password (kept in the system's keychain by the
// backend, never in Kontor's data folder). "Connect" checks the server;
// one without Kontor's tables asks before they are made. Then contacts
// sync in the background; the header shows how it stands.
import type { SyncView } from "../../bindings/SyncView";
import { h } from "../../dom";
import { errorText, formatDateTime, plural, t, type MessageKey } from "../../i18n";
import * as ipc from "../../ipc";
import { button } from "../common";
import type { SettingsForm } from "./form";

/** What the section holds between renders. */
export interface TeamState {
  server: string;
  user: string;
  password: string;
  busy: boolean;
  /** The server answered that it has no Kontor tables: ask before making them. */
  askSchema: boolean;
  /** Set once connected: the password was not kept (no keychain). */
  passwordNotKept: boolean;
  view: SyncView | null;
}

export const newTeamState = (): TeamState => ({
  server: "", user: "", password: "", busy: false, askSchema: false, passwordNotKept: false, view: null,
});

/** `postgres://USER@HOST:PORT/DB` from what the rep typed: a host (with port and database) or a whole address. */
export function serverUrl(server: string, user: string): string {
  let rest = server.trim().replace(/^postgres(ql)?:\/\//, "");
  const at = rest.lastIndexOf("@", rest.indexOf("/") < 0 ? rest.length : rest.indexOf("/"));
  const named = at >= 0 ? rest.slice(0, at) : "";
  if (at >= 0) rest = rest.slice(at + 1);
  const who = user.trim() || named;
  return `postgres://${who ? `${encodeURIComponent(who)}@` : ""}${rest}`;
}

/** The server and user of a set-up account (`user@host:port/db`). */
function split(account: string): { server: string; user: string } {
  const at = account.indexOf("@");
  return at < 0 ? { server: account, user: "" } : { server: account.slice(at + 1), user: account.slice(0, at) };
}

/** Fills the fields from the sync's state the first time the section is shown. */
export async function loadTeam(s: TeamState): Promise<void> {
  try {
    s.view = await ipc.syncStatus();
    if (s.view.server && !s.server) Object.assign(s, split(s.view.server));
  } catch {
    /* no store: the section shows empty fields */
  }
}

export function teamSection(f: SettingsForm, s: TeamState): HTMLElement {
  const { app } = f;
  const slot = () => f.dialog.querySelector<HTMLElement>('[data-slot="team"]') ?? undefined;
  const connect = async (createSchema: boolean) => {
    if (s.busy) return;
    if (!s.server.trim() || !s.user.trim()) {
      app.showError(null, slot(), t("team.missing"));
      return;
    }
    s.busy = true;
    app.clearError();
    f.render();
    const typed = s.password !== "";
    try {
      const done = await ipc.syncConnect(serverUrl(s.server, s.user), s.password || null, createSchema);
      s.askSchema = done.needs_schema;
      if (!done.needs_schema) {
        s.view = done.view;
        s.password = "";
        // Only a typed password is to be kept (else it came from the keychain or the environment).
        s.passwordNotKept = typed && !done.password_kept && !!done.view && done.view.phase !== "refused";
        await app.syncChanged();
      }
    } catch (e) {
      s.busy = false;
      f.render();
      app.showError(e, slot());
      return;
    }
    s.busy = false;
    f.render();
    f.dialog.querySelector<HTMLElement>(s.askSchema ? '[data-testid="team-create-schema"]' : '[data-testid="team-connect"]')?.focus();
  };
  const syncNow = async () => {
    s.busy = true;
    f.render();
    try {
      s.view = await ipc.syncNow();
      await app.syncChanged();
    } catch (e) {
      app.showError(e, slot());
    }
    s.busy = false;
    f.render();
  };

  const input = (testid: string, value: string, set: (v: string) => void, extra: Record<string, string> = {}) =>
    h("input", { "data-testid": testid, id: testid, value, autocomplete: "off", spellcheck: "false", ...extra,
      oninput: (ev: Event) => set((ev.target as HTMLInputElement).value) });
  const v = s.view;
  const status = s.busy
    ? t("team.connecting")
    : v && v.phase !== "off"
      ? [t(`sync.phase.${v.phase}` as MessageKey),
         v.last_sync ? t("team.last_sync", { when: formatDateTime(v.last_sync) }) : "",
         v.set_aside > 0 ? plural("team.set_aside", v.set_aside) : "",
         v.error ? errorText(v.error) : ""].filter(Boolean).join(" · ")
      : t("team.not_set_up");
  return h(
    "section",
    // What is typed here applies with "Connect", not with Save: no discard question for it.
    { class: "settings-section", "data-testid": "settings-team", "aria-labelledby": "team-title", "data-applies": "" },
    h("h3", { id: "team-title" }, t("settings.team")),
    h("p", { class: "hint" }, t("team.intro")),
    h("div", { class: "grid2 team-grid" },
      h("div", { class: "field" }, h("label", { for: "team-server" }, t("team.server")),
        input("team-server", s.server, (x) => { s.server = x; }, { placeholder: t("team.server_hint") })),
      h("div", { class: "field" }, h("label", { for: "team-user" }, t("team.user")),
        input("team-user", s.user, (x) => { s.user = x; }))),
    h("div", { class: "field" }, h("label", { for: "team-password" }, t("team.password")),
      input("team-password", s.password, (x) => { s.password = x; }, { type: "password", autocomplete: "current-password" }),
      h("span", { class: "hint" }, t("team.password_hint"))),
    s.askSchema
      ? h("div", { class: "warning-box", role: "alertdialog", "data-testid": "team-schema-question" },
          h("p", null, t("team.create_question")),
          h("div", { class: "data-actions" },
            button(t("team.create"), { testid: "team-create-schema", kind: "primary", disabled: s.busy, onclick: () => void connect(true) }),
            button(t("action.cancel"), { testid: "team-create-cancel", onclick: () => { s.askSchema = false; f.render(); } })))
      : null,
    h("div", { class: "data-actions" },
      button(t("team.connect"), { testid: "team-connect", kind: s.askSchema ? "ghost" : "primary", disabled: s.busy, onclick: () => void connect(false) }),
      v && v.phase !== "off" ? button(t("team.sync_now"), { testid: "team-sync-now", disabled: s.busy, onclick: () => void syncNow() }) : null),
    h("p", { class: "status-line", role: "status", "data-testid": "team-status" }, status),
    s.passwordNotKept ? h("p", { class: "hint", "data-testid": "team-password-not-kept" }, t("team.password_not_kept")) : null,
    h("p", { class: "hint" }, t("team.what")),
    h("div", { class: "error-slot", "data-slot": "team" }),
  );
}
