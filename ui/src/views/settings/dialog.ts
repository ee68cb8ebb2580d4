// The settings dialog: language and facts, reminders (general.ts), data
// (data.ts), qualification (scoring.ts), pipeline, rules, templates and
// company (deals.ts). Unsaved entries live in drafts, so a language switch
// keeps them; Save checks the scoring ranges and the deal sections, then
// saves one Settings object.
import { h, replace } from "../../dom";
import { errorText, settingsFieldName, t, type MessageKey } from "../../i18n";
import { AppError } from "../../ipc";
import { defaultSettings, validateSettings } from "../../settings";
import type { Shell } from "../../shell";
import { button } from "../common";
import { dataSection, newDataState } from "./data";
import { checkDealDraft, dealDraftFrom, dealSectionOf, dealSettingsSections, type DealDraft, type DealSection } from "./deals";
import { draftFrom, problemText, settingsFrom, testidFor, type Draft } from "./draft";
import type { SettingsForm } from "./form";
import { languageAndFacts, phoneRegionField, remindersSection } from "./general";
import { scoringSection } from "./scoring";
import { loadTeam, newTeamState, teamSection } from "./team";
import { newUpdateState, updatesSection } from "./updates";

/** Opens the settings dialog, at `section` (a `settings-nav-*` key) when given. */
export function settingsDialog(app: Shell, section?: string): void {
  const dialog = new SettingsDialog(app);
  dialog.open();
  if (section) dialog.goTo(section);
}

class SettingsDialog implements SettingsForm {
  readonly dialog = h("dialog", { class: "dialog wide", "data-testid": "settings-dialog", "aria-labelledby": "settings-title" });
  readonly defaults = draftFrom(defaultSettings());
  draft: Draft;
  problems: { testid: string; text: string }[] = [];
  /** Pipeline stages, rules, templates and company: edited in a draft of their own. */
  private deals: DealDraft;
  private dealProblem: { section: DealSection; text: string } | null = null;
  private busy = false;
  private readonly data = newDataState();
  private readonly updates = newUpdateState();
  private readonly team = newTeamState();

  constructor(readonly app: Shell) {
    this.draft = draftFrom(app.settings);
    this.deals = dealDraftFrom(app.settings);
  }

  open(): void {
    this.render();
    this.app.openModal(this.dialog, () => this.render());
    // The team section's fields fill in once the backend answered, in place (focus stays).
    void loadTeam(this.team).then(() => {
      this.dialog.querySelector('[data-testid="settings-team"]')?.replaceWith(teamSection(this, this.team));
    });
    this.dialog.querySelector<HTMLSelectElement>("select")?.focus();
  }

  render(): void {
    const { app, dialog } = this;
    replace(
      dialog,
      h(
        "form",
        { class: "dialog-form", novalidate: true, onsubmit: (ev: Event) => { ev.preventDefault(); void this.save(); } },
        h("h2", { id: "settings-title" }, t("settings.title")),
        this.sectionNav(),
        ...languageAndFacts(this),
        remindersSection(this),
        updatesSection(this, this.updates),
        teamSection(this, this.team),
        dataSection(app, this.data, {
          rerender: () => this.render(),
          restored: async () => {
            await app.reloadAll();
            this.draft = draftFrom(app.settings);
            this.deals = dealDraftFrom(app.settings);
          },
          extra: phoneRegionField(this),
        }),
        scoringSection(this),
        ...dealSettingsSections({
          draft: this.deals, problem: this.dealProblem?.section ?? null, problemText: this.dealProblem?.text ?? "",
          rerender: (focus) => {
            this.render();
            if (focus) dialog.querySelectorAll<HTMLElement>(`[data-testid="${focus}"]`).forEach((el, i, all) => { if (i === all.length - 1) el.focus(); });
          },
        }),
        h("div", { class: "error-slot", "data-slot": "settings" }),
        h(
          "footer",
          { class: "dialog-actions" },
          button(t("settings.reset"), { testid: "settings-reset", kind: "ghost", onclick: () => this.reset() }),
          h("span", { class: "spacer" }),
          button(t("action.close"), { testid: "settings-close", onclick: () => app.dismissModal() }),
          h("button", { type: "submit", class: "btn btn-primary", "data-testid": "settings-save", disabled: this.busy }, t("settings.save")),
        ),
      ),
    );
  }

  /** Links to the sections of this long dialog, kept in view while it scrolls. */
  private sectionNav(): HTMLElement {
    const sections: [string, MessageKey][] = [
      ["reminders", "settings.reminders"], ["updates", "settings.updates"], ["team", "settings.team"], ["data", "data.title"], ["scoring", "settings.scoring"],
      ["pipeline", "settings.pipeline"], ["rules", "settings.rules"], ["templates", "settings.templates"],
      ["company", "settings.company"], ["field", "settings.field"],
    ];
    return h("nav", { class: "settings-nav", "aria-label": t("settings.sections") }, sections.map(([key, label]) =>
      h("button", {
        type: "button", class: "btn btn-ghost btn-small", "data-testid": `settings-nav-${key}`,
        onclick: () => this.goTo(key),
      }, t(label))));
  }

  /** Scrolls to a section and focuses its first control. */
  goTo(key: string): void {
    const section = this.dialog.querySelector<HTMLElement>(`[data-testid="settings-${key}"]`);
    section?.scrollIntoView?.({ block: "start" });
    section?.querySelector<HTMLElement>("input, select, textarea, button")?.focus({ preventScroll: true });
  }

  /** The qualification fields back to the shipped defaults (saved only with Save). */
  private reset(): void {
    this.draft = { ...this.draft, text: { ...this.defaults.text }, autoAdvance: this.defaults.autoAdvance };
    this.problems = [];
    this.app.clearError();
    this.render();
    this.dialog.querySelector<HTMLElement>('[data-testid="settings-reset"]')?.focus();
  }

  private showProblems(list: { field: string; text: string }[]): void {
    this.problems = list.map((p) => ({ testid: testidFor(p.field), text: p.text }));
    this.render();
    this.dialog.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  private showDealProblem(section: DealSection, text: string): void {
    this.dealProblem = { section, text };
    this.render();
    this.dialog.querySelector<HTMLElement>(`[data-section="${section}"]`)?.scrollIntoView?.({ block: "center" });
  }

  private async save(): Promise<void> {
    const app = this.app;
    if (this.busy) return;
    app.clearError();
    const next = { ...settingsFrom(app.settings, this.draft), ...structuredClone(this.deals) };
    const found = validateSettings(next);
    const dealSection = checkDealDraft(this.deals);
    this.dealProblem = dealSection ? { section: dealSection, text: t("error.invalid_settings", { field: settingsFieldName(dealSection) }) } : null;
    if (found.length) {
      this.showProblems(found.map((p) => ({ field: p.field, text: problemText(p) })));
      return;
    }
    if (dealSection) {
      this.problems = [];
      this.showDealProblem(dealSection, this.dealProblem!.text);
      return;
    }
    this.problems = [];
    this.busy = true;
    try {
      await app.saveSettings(next);
      this.busy = false;
      app.closeModal();
      app.showToast(t("settings.saved"));
    } catch (e) {
      this.busy = false;
      const err = AppError.from(e);
      const section = err.code === "invalid_settings" ? dealSectionOf(err.field) : null;
      if (err.code === "invalid_settings" && err.field && testidFor(err.field)) {
        this.showProblems([{ field: err.field, text: errorText(err) }]);
      } else if (section) {
        this.showDealProblem(section, errorText(err));
      } else {
        this.render();
      }
      app.showError(err, this.dialog.querySelector<HTMLElement>('[data-slot="settings"]') ?? undefined);
    }
  }
}
