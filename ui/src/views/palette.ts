// The command palette (Ctrl+K): every action of the current place and every
// record by name, keyboard only. Typing filters the actions (every word of
// the query in the label, in any order) and searches contacts,
// organisations and deals; ↑/↓ move, Enter runs, Esc closes.
import type { SearchHit } from "../bindings/SearchHit";
import { h, replace } from "../dom";
import { stageName, t, type MessageKey } from "../i18n";
import * as ipc from "../ipc";
import type { Shell } from "../shell";
import { newOrganizationDialog } from "./organization";

/** One entry: an action or a record. */
interface Entry {
  label: string;
  hint: string;
  keys?: string;
  run: () => void;
}

/** How long typing pauses before the records are searched. */
const SEARCH_MS = 120;
/** Records shown per query. */
const RECORDS = 8;

/** The actions that make sense here, in the UI language. */
export function paletteActions(app: Shell): Entry[] {
  const action = (key: MessageKey, run: () => void, keys?: string): Entry => ({ label: t(key), hint: t("palette.action"), keys, run });
  const detail = app.view.name === "contact" ? app.view.detail : null;
  const out: Entry[] = [
    action("palette.new_contact", () => app.openForm(null), "N"),
    action("palette.new_task", () => app.openTaskDialog(null), "T"),
    action("palette.new_deal", () => app.openDealDialog(null, detail ? app.contactRef(detail) : null), "D"),
    action("palette.go_contacts", () => void app.showList(), "G C"),
    action("palette.go_tasks", () => void app.showTasks(), "G T"),
    action("palette.go_pipeline", () => void app.showPipeline(), "G P"),
    action("palette.go_organizations", () => void app.showOrganizations(), "G O"),
    action("palette.new_organization", () => newOrganizationDialog(app)),
    action("palette.go_reports", () => void app.showReports(), "G R"),
    action("palette.go_calendar", () => void app.showCalendar(), "G K"),
    action("palette.go_day_plan", () => void app.showCalendar("plan")),
    action("palette.go_mileage", () => void app.showCalendar("mileage")),
    action("palette.go_ready", () => void app.showReadyList()),
    action("palette.import", () => app.openImport()),
    action("palette.duplicates", () => app.openDuplicates()),
    action("palette.conflicts", () => app.openConflicts()),
    action("palette.settings_team", () => app.openSettings("team")),
    action("palette.settings", () => app.openSettings(), ","),
    action("palette.settings_company", () => app.openSettings("company")),
    action("palette.settings_pipeline", () => app.openSettings("pipeline")),
    action("palette.settings_data", () => app.openSettings("data")),
    action("palette.settings_field", () => app.openSettings("field")),
    action("palette.search", () => app.focusSearch(), "/"),
  ];
  if (detail) {
    const name = detail.contact.display_name;
    const on = (key: MessageKey, run: () => void, keys?: string): Entry => ({ ...action(key, run, keys), hint: name });
    out.unshift(
      on("palette.log_call", () => app.openActivityDialog("call"), "C"),
      on("palette.log_visit", () => app.openActivityDialog("visit"), "V"),
      on("palette.log_note", () => app.openActivityDialog("note"), "O"),
      on("palette.log_activity", () => app.openActivityDialog(null), "A"),
      on("palette.edit_contact", () => app.openForm(detail), "E"),
      on("palette.change_stage", () => app.openStageControl(), "S"),
      on("palette.email", () => app.openEmailDialog(detail.contact.id, null), "M"),
    );
    if (detail.contact.proposal) out.unshift(on("palette.accept_proposal", () => void app.acceptProposal(detail.contact.id), "Q"));
  }
  return out;
}

/** Whether every word of `query` is in `label` (case and accents aside). */
export function matches(label: string, query: string): boolean {
  const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const hay = fold(label);
  return fold(query).split(/\s+/).filter(Boolean).every((w) => hay.includes(w));
}

const recordHint = (hit: SearchHit): string => {
  const kind = t(`palette.kind.${hit.kind}` as MessageKey);
  const parts = [kind, hit.stage ? stageName(hit.stage) : "", hit.subtitle].filter(Boolean);
  return parts.join(" · ");
};

/** Opens the palette as a modal dialog. */
export function openPalette(app: Shell): void {
  const actions = paletteActions(app);
  let records: Entry[] = [];
  let entries: Entry[] = actions;
  let active = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  const input = h("input", {
    // data-applies: typing here is no change to ask about on Esc.
    type: "text", class: "palette-input", "data-testid": "palette-input", autocomplete: "off", spellcheck: false, "data-applies": "",
    role: "combobox", "aria-expanded": "true", "aria-controls": "palette-list", "aria-autocomplete": "list",
    placeholder: t("palette.placeholder"), "aria-label": t("palette.title"),
  }) as HTMLInputElement;
  const list = h("ul", { id: "palette-list", class: "palette-list", role: "listbox", "data-testid": "palette-list", "aria-label": t("palette.title") });
  const dialog = h("dialog", { class: "dialog palette", "data-testid": "palette", "aria-label": t("palette.title") },
    input, list) as HTMLDialogElement;

  const run = (e: Entry | undefined) => {
    if (!e) return;
    app.closeModal();
    e.run();
  };
  const render = () => {
    active = Math.max(0, Math.min(active, entries.length - 1));
    replace(list, entries.length
      ? entries.map((e, i) => h("li", {
          id: `palette-item-${i}`, class: `palette-item${i === active ? " active" : ""}`, role: "option",
          "aria-selected": i === active ? "true" : "false", "data-testid": "palette-item",
          onmousedown: (ev: Event) => ev.preventDefault(),
          onclick: () => run(e),
        },
        h("span", { class: "palette-label" }, e.label),
        h("span", { class: "palette-hint muted" }, e.hint),
        e.keys ? h("kbd", { class: "palette-keys" }, e.keys) : null))
      : [h("li", { class: "palette-empty muted", "data-testid": "palette-empty" }, t("palette.none"))]);
    input.setAttribute("aria-activedescendant", entries.length ? `palette-item-${active}` : "");
    list.querySelector(".active")?.scrollIntoView?.({ block: "nearest" });
  };
  const refilter = () => {
    const q = input.value.trim();
    entries = [...actions.filter((a) => !q || matches(`${a.label} ${a.hint}`, q)), ...records];
    render();
  };
  const searchRecords = (q: string) => {
    const ask = ++asked;
    if (!q) {
      records = [];
      refilter();
      return;
    }
    ipc.search({ text: q, kind: null, limit: RECORDS, per_kind: false })
      .then((res) => {
        if (ask !== asked) return;
        records = res.hits.map((hit) => ({ label: hit.title, hint: recordHint(hit), run: () => app.openHit(hit) }));
        refilter();
      })
      .catch(() => { /* the actions still work; the list shows search errors */ });
  };
  input.addEventListener("input", () => {
    active = 0;
    refilter();
    clearTimeout(timer);
    const q = input.value.trim();
    timer = setTimeout(() => searchRecords(q), SEARCH_MS);
  });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      const n = entries.length || 1;
      active = (active + (ev.key === "ArrowDown" ? 1 : n - 1)) % n;
      render();
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      run(entries[active]);
    }
  });
  render();
  app.openModal(dialog, undefined, () => clearTimeout(timer));
  input.focus();
}
