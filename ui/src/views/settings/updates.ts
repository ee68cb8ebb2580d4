// The settings' "Updates" section: Kontor asks its update server only when
// the rep says so — "Check for updates" now, or at each start when turned
// on (off by default: reps work offline). A newer version is shown with its
// notes and installed on request; the updater verifies its signature first.
import type { UpdateCheck } from "../../bindings/UpdateCheck";
import { h } from "../../dom";
import { t } from "../../i18n";
import * as ipc from "../../ipc";
import { button } from "../common";
import type { SettingsForm } from "./form";

/** What the last check found; kept outside the section so a re-render keeps it. */
export interface UpdateState {
  busy: "checking" | "installing" | null;
  found: UpdateCheck | null;
}

export const newUpdateState = (): UpdateState => ({ busy: null, found: null });

export function updatesSection(f: SettingsForm, s: UpdateState): HTMLElement {
  const { app } = f;
  const slot = () => f.dialog.querySelector<HTMLElement>('[data-slot="updates"]') ?? undefined;
  const run = async (busy: UpdateState["busy"], work: () => Promise<void>, focus: string) => {
    if (s.busy) return;
    s.busy = busy;
    app.clearError();
    f.render();
    try {
      await work();
    } catch (e) {
      s.busy = null;
      f.render();
      app.showError(e, slot());
      return;
    }
    s.busy = null;
    f.render();
    f.dialog.querySelector<HTMLElement>(`[data-testid="${focus}"]`)?.focus();
  };
  const check = () => run("checking", async () => { s.found = await ipc.checkForUpdate(); }, "update-check");
  const install = () => run("installing", async () => { await ipc.installUpdate(); }, "update-install");

  const box = h("input", {
    type: "checkbox", "data-testid": "setting-check-updates", checked: f.draft.checkUpdates,
    onchange: () => { f.draft.checkUpdates = box.checked; },
  });
  const found = s.found;
  const status = s.busy === "checking"
    ? t("updates.checking")
    : s.busy === "installing"
      ? t("updates.installing")
      : found === null
        ? ""
        : found.available
          ? t("updates.available").replace("{version}", found.available.version).replace("{current}", found.current)
          : t("updates.current").replace("{current}", found.current);
  return h(
    "section",
    { class: "settings-section", "data-testid": "settings-updates", "aria-labelledby": "updates-title" },
    h("h3", { id: "updates-title" }, t("settings.updates")),
    h("label", { class: "check" }, box,
      h("span", null, h("span", { class: "label" }, t("updates.at_start")), h("br"), h("span", { class: "hint" }, t("updates.at_start_hint")))),
    h("div", { class: "data-actions" },
      button(t("updates.check"), { testid: "update-check", disabled: s.busy !== null, onclick: () => void check() }),
      found?.available
        ? button(t("updates.install"), { testid: "update-install", kind: "primary", disabled: s.busy !== null, onclick: () => void install() })
        : null),
    h("p", { class: "status-line", role: "status", "data-testid": "update-status" }, status),
    found?.available?.notes ? h("p", { class: "release-notes", "data-testid": "update-notes" }, found.available.notes) : null,
    h("div", { class: "error-slot", "data-slot": "updates" }),
  );
}
