// Settings dialog: language choice (applied at once and persisted), the data
// directory and version from app_info, and the qualification section (target
// profile, points, half-life, thresholds, auto-advance) saved as one Settings
// object, and the reminders section (notifications, start at login). Unsaved
// entries live in a draft so a language switch keeps them.
import type { Shell } from "../shell";
import type { Settings } from "../bindings/Settings";
import { h, replace } from "../dom";
import { errorText, kindName, settingsFieldName, t, type Lang, type MessageKey } from "../i18n";
import { AppError } from "../ipc";
import { ACTIVITY_KINDS, CRITERIA, defaultSettings, validateSettings, type SettingsProblem } from "../settings";
import { commaList } from "../inputText";
import { button } from "./common";
import { dataSection, newDataState, PHONE_REGIONS, regionName } from "./dataSection";
import { checkDealDraft, dealDraftFrom, dealSectionOf, dealSettingsSections, type DealSection } from "./dealSettings";

/** The form's text per test id ("setting-fit-budget" → "10"), plus the auto-advance checkbox. */
interface Draft {
  text: Record<string, string>;
  autoAdvance: boolean;
  notifications: boolean;
  autostart: boolean;
  phoneRegion: string;
}

function draftFrom(s: Settings): Draft {
  const text: Record<string, string> = {};
  for (const c of CRITERIA) text[`setting-fit-${c}`] = String(s.scoring.fit_points[c]);
  for (const k of ACTIVITY_KINDS) text[`setting-points-${k}`] = String(s.scoring.engagement_points[k]);
  text["setting-half-life"] = String(s.scoring.half_life_days);
  text["setting-prospect-threshold"] = String(s.scoring.prospect_threshold);
  text["setting-opportunity-threshold"] = String(s.scoring.opportunity_threshold);
  text["setting-industries"] = s.target_profile.industries.join(", ");
  text["setting-size-min"] = s.target_profile.size_min === null ? "" : String(s.target_profile.size_min);
  text["setting-size-max"] = s.target_profile.size_max === null ? "" : String(s.target_profile.size_max);
  text["setting-regions"] = s.target_profile.regions.join(", ");
  return { text, autoAdvance: s.scoring.auto_advance, notifications: s.notifications, autostart: s.autostart, phoneRegion: s.phone_region };
}

/** Number from a field; "" and junk become NaN so the range check catches them. */
const num = (v: string) => (v.trim() === "" ? NaN : Number(v.trim().replace(",", ".")));
const optNum = (v: string) => (v.trim() === "" ? null : num(v));

function settingsFrom(base: Settings, d: Draft): Settings {
  const x = d.text;
  const fit = Object.fromEntries(CRITERIA.map((c) => [c, num(x[`setting-fit-${c}`])]));
  const points = Object.fromEntries(ACTIVITY_KINDS.map((k) => [k, num(x[`setting-points-${k}`])]));
  return {
    ...base, // what this dialog does not edit (pipeline, rules, templates, company) goes back unchanged
    language: base.language,
    scoring: {
      fit_points: fit as Settings["scoring"]["fit_points"],
      engagement_points: points as Settings["scoring"]["engagement_points"],
      half_life_days: num(x["setting-half-life"]),
      prospect_threshold: num(x["setting-prospect-threshold"]),
      opportunity_threshold: num(x["setting-opportunity-threshold"]),
      auto_advance: d.autoAdvance,
    },
    target_profile: {
      industries: commaList(x["setting-industries"]),
      size_min: optNum(x["setting-size-min"]),
      size_max: optNum(x["setting-size-max"]),
      regions: commaList(x["setting-regions"]),
    },
    notifications: d.notifications,
    autostart: d.autostart,
    phone_region: d.phoneRegion,
  };
}

/** The form control for a settings path ("scoring.fit_points.budget", or just "budget"). */
function testidFor(field: string): string {
  const last = field.split(".").pop() ?? field;
  if ((CRITERIA as readonly string[]).includes(last)) return `setting-fit-${last}`;
  if ((ACTIVITY_KINDS as readonly string[]).includes(last)) return `setting-points-${last}`;
  const map: Record<string, string> = {
    half_life_days: "setting-half-life", prospect_threshold: "setting-prospect-threshold",
    opportunity_threshold: "setting-opportunity-threshold", industries: "setting-industries",
    size_min: "setting-size-min", size_max: "setting-size-max", regions: "setting-regions", auto_advance: "setting-auto-advance",
  };
  return map[last] ?? "";
}

function problemText(p: SettingsProblem): string {
  if (p.kind === "range") return t("invalid.range", { min: p.min ?? 0, max: p.max ?? 0 });
  return t(p.kind === "integer" ? "invalid.integer" : "invalid.order");
}

export function settingsDialog(app: Shell): void {
  const dialog = h("dialog", { class: "dialog wide", "data-testid": "settings-dialog", "aria-labelledby": "settings-title" });
  const defaults = draftFrom(defaultSettings());
  let draft = draftFrom(app.settings);
  let problems: { testid: string; text: string }[] = [];
  // Pipeline stages, rules, templates and company: edited in a draft of their own.
  let deals = dealDraftFrom(app.settings);
  let dealProblem: { section: DealSection; text: string } | null = null;
  let busy = false;
  const data = newDataState();

  const numberField = (testid: string, label: string, hint?: string) => {
    const id = `s-${testid}`;
    const problem = problems.find((p) => p.testid === testid);
    const input = h("input", {
      id, type: "text", inputmode: "numeric", class: "num-input", "data-testid": testid, value: draft.text[testid] ?? "",
      autocomplete: "off", "aria-invalid": problem ? "true" : null, "aria-describedby": problem ? `${id}-err` : null,
      oninput: () => { draft.text[testid] = input.value; },
    });
    const dflt = defaults.text[testid];
    return h(
      "div",
      { class: "field num-field" },
      h("label", { for: id, class: "label" }, label),
      input,
      h("span", { class: "hint" }, hint ?? (dflt !== "" ? t("settings.default", { value: dflt }) : t("settings.empty_any"))),
      problem ? h("p", { class: "field-error", id: `${id}-err`, "data-testid": "field-error" }, problem.text) : null,
    );
  };
  const textField = (testid: string, label: MessageKey) => {
    const id = `s-${testid}`;
    const input = h("input", {
      id, type: "text", "data-testid": testid, value: draft.text[testid] ?? "", autocomplete: "off",
      oninput: () => { draft.text[testid] = input.value; },
    });
    return h("div", { class: "field" },
      h("label", { for: id, class: "label" }, t(label), h("span", { class: "hint" }, ` (${t("form.comma_separated")}; ${t("settings.empty_any")})`)),
      input);
  };

  const render = () => {
    const current = app.settings.language ?? "auto";
    const select = h(
      "select",
      {
        id: "language-select", "data-testid": "language-select",
        onchange: () => {
          const v = select.value;
          void app.setLanguageChoice(v === "de" || v === "en" ? (v as Lang) : null);
          dialog.querySelector<HTMLSelectElement>('[data-testid="language-select"]')?.focus();
        },
      },
      h("option", { value: "auto", selected: current === "auto" }, t("settings.language_auto")),
      h("option", { value: "de", selected: current === "de", lang: "de" }, "Deutsch"),
      h("option", { value: "en", selected: current === "en", lang: "en" }, "English"),
    );
    const toggle = (testid: string, key: "notifications" | "autostart", label: MessageKey, hint: MessageKey) => {
      const box = h("input", {
        type: "checkbox", "data-testid": testid, checked: draft[key],
        onchange: () => { draft[key] = box.checked; },
      });
      return h("label", { class: "check" }, box,
        h("span", null, h("span", { class: "label" }, t(label)), h("br"), h("span", { class: "hint" }, t(hint))));
    };
    const phoneRegion = () => {
      const codes: string[] = [...PHONE_REGIONS];
      if (!codes.includes(draft.phoneRegion)) codes.unshift(draft.phoneRegion);
      const names = codes.map((code) => [code, regionName(code)] as const);
      const sel = h(
        "select",
        { id: "setting-phone-region", "data-testid": "setting-phone-region", onchange: () => { draft.phoneRegion = sel.value; } },
        names.map(([code, name]) => h("option", { value: code, selected: code === draft.phoneRegion }, `${name} (${code})`)),
      );
      return h("div", { class: "field" },
        h("label", { for: "setting-phone-region", class: "label" }, t("settings.phone_region")), sel,
        h("span", { class: "hint" }, t("settings.phone_region_hint")));
    };
    const auto = h("input", {
      type: "checkbox", "data-testid": "setting-auto-advance", checked: draft.autoAdvance,
      onchange: () => { draft.autoAdvance = auto.checked; },
    });
    replace(
      dialog,
      h(
        "form",
        { class: "dialog-form", novalidate: true, onsubmit: (ev: Event) => { ev.preventDefault(); void save(); } },
        h("h2", { id: "settings-title" }, t("settings.title")),
        h("label", { class: "field", for: "language-select" }, h("span", { class: "label" }, t("settings.language")), select),
        h(
          "dl",
          { class: "fields compact" },
          h("dt", null, t("settings.data_dir")),
          h("dd", null, h("code", { "data-testid": "data-dir", class: "path" }, app.info?.data_dir ?? "—")),
          h("dt", null, t("settings.version")),
          h("dd", { "data-testid": "version" }, app.info?.version ?? "—"),
          h("dt", null, t("settings.shortcuts")),
          h("dd", null, h("ul", { class: "plain shortcuts" },
            t("settings.shortcut_list").split(" · ").map((item) => h("li", null, item)))),
        ),
        h(
          "section",
          { class: "settings-section", "data-testid": "settings-reminders", "aria-labelledby": "reminders-title" },
          h("h3", { id: "reminders-title" }, t("settings.reminders")),
          toggle("setting-notifications", "notifications", "settings.notifications", "settings.notifications_hint"),
          toggle("setting-autostart", "autostart", "settings.autostart", "settings.autostart_hint"),
        ),
        dataSection(app, data, {
          rerender: () => render(),
          restored: async () => {
            await app.reloadAll();
            draft = draftFrom(app.settings);
            deals = dealDraftFrom(app.settings);
          },
          extra: phoneRegion(),
        }),
        h(
          "section",
          { class: "settings-section", "data-testid": "settings-scoring", "aria-labelledby": "scoring-title" },
          h("h3", { id: "scoring-title" }, t("settings.scoring")),
          h(
            "fieldset",
            null,
            h("legend", null, t("settings.target_profile")),
            textField("setting-industries", "settings.industries"),
            h("div", { class: "grid2" },
              numberField("setting-size-min", t("settings.size_min")),
              numberField("setting-size-max", t("settings.size_max"))),
            textField("setting-regions", "settings.regions"),
          ),
          h(
            "fieldset",
            null,
            h("legend", null, t("settings.fit_points")),
            h("div", { class: "num-grid five" }, CRITERIA.map((c) => numberField(`setting-fit-${c}`, t(`criterion.${c}` as MessageKey)))),
          ),
          h(
            "fieldset",
            null,
            h("legend", null, t("settings.engagement_points")),
            h("div", { class: "num-grid four" }, ACTIVITY_KINDS.map((k) => numberField(`setting-points-${k}`, kindName(k)))),
          ),
          h(
            "div",
            { class: "num-grid three" },
            numberField("setting-half-life", t("settings.half_life"),
              `${t("settings.half_life_hint")}; ${t("settings.default", { value: defaults.text["setting-half-life"] })}`),
            numberField("setting-prospect-threshold", t("settings.prospect_threshold")),
            numberField("setting-opportunity-threshold", t("settings.opportunity_threshold")),
          ),
          h(
            "label",
            { class: "check" },
            auto,
            h("span", null, h("span", { class: "label" }, t("settings.auto_advance")), h("br"), h("span", { class: "hint" }, t("settings.auto_advance_hint"))),
          ),
        ),
        ...dealSettingsSections({
          draft: deals, problem: dealProblem?.section ?? null, problemText: dealProblem?.text ?? "",
          rerender: (focus) => {
            render();
            if (focus) dialog.querySelectorAll<HTMLElement>(`[data-testid="${focus}"]`).forEach((el, i, all) => { if (i === all.length - 1) el.focus(); });
          },
        }),
        h("div", { class: "error-slot", "data-slot": "settings" }),
        h(
          "footer",
          { class: "dialog-actions" },
          button(t("settings.reset"), {
            testid: "settings-reset", kind: "ghost",
            onclick: () => {
              draft = { ...draft, text: { ...defaults.text }, autoAdvance: defaults.autoAdvance };
              problems = [];
              app.clearError();
              render();
              dialog.querySelector<HTMLElement>('[data-testid="settings-reset"]')?.focus();
            },
          }),
          h("span", { class: "spacer" }),
          button(t("action.close"), { testid: "settings-close", onclick: () => app.closeModal() }),
          h("button", { type: "submit", class: "btn btn-primary", "data-testid": "settings-save", disabled: busy }, t("settings.save")),
        ),
      ),
    );
  };

  const showProblems = (list: { field: string; text: string }[]) => {
    problems = list.map((p) => ({ testid: testidFor(p.field), text: p.text }));
    render();
    dialog.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  };

  const save = async () => {
    if (busy) return;
    app.clearError();
    const next = { ...settingsFrom(app.settings, draft), ...structuredClone(deals) };
    const found = validateSettings(next);
    const dealSection = checkDealDraft(deals);
    dealProblem = dealSection ? { section: dealSection, text: t("error.invalid_settings", { field: settingsFieldName(dealSection) }) } : null;
    if (found.length) {
      showProblems(found.map((p) => ({ field: p.field, text: problemText(p) })));
      return;
    }
    if (dealProblem) {
      problems = [];
      render();
      dialog.querySelector<HTMLElement>(`[data-section="${dealProblem.section}"]`)?.scrollIntoView?.({ block: "center" });
      return;
    }
    problems = [];
    busy = true;
    try {
      await app.saveSettings(next);
      busy = false;
      app.closeModal();
    } catch (e) {
      busy = false;
      const err = AppError.from(e);
      const section = err.code === "invalid_settings" ? dealSectionOf(err.field) : null;
      if (err.code === "invalid_settings" && err.field && testidFor(err.field)) {
        showProblems([{ field: err.field, text: errorText(err) }]);
      } else if (section) {
        dealProblem = { section, text: errorText(err) };
        render();
        dialog.querySelector<HTMLElement>(`[data-section="${section}"]`)?.scrollIntoView?.({ block: "center" });
      } else {
        render();
      }
      app.showError(err, dialog.querySelector<HTMLElement>('[data-slot="settings"]') ?? undefined);
    }
  };

  render();
  app.openModal(dialog, render);
  dialog.querySelector<HTMLSelectElement>("select")?.focus();
}

