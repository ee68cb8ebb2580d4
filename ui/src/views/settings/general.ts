// The top of the settings: language (applied at once and saved), where the
// data lives, the version and the shortcuts; the reminders section; the
// phone region field of the data section.
import { h } from "../../dom";
import { dateFormat, dateFormatLocale, t, type Lang, type MessageKey } from "../../i18n";
import { PHONE_REGIONS, regionName } from "./data";
import type { SettingsForm } from "./form";

export function languageAndFacts(f: SettingsForm): HTMLElement[] {
  const { app, dialog } = f;
  const current = app.settings.language ?? "auto";
  const select = h(
    "select",
    {
      id: "language-select", "data-testid": "language-select", "data-applies": "true",
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
  return [
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
  ];
}

export function remindersSection(f: SettingsForm): HTMLElement {
  const toggle = (testid: string, key: "notifications" | "autostart", label: MessageKey, hint: MessageKey) => {
    const box = h("input", {
      type: "checkbox", "data-testid": testid, checked: f.draft[key],
      onchange: () => { f.draft[key] = box.checked; },
    });
    return h("label", { class: "check" }, box,
      h("span", null, h("span", { class: "label" }, t(label)), h("br"), h("span", { class: "hint" }, t(hint))));
  };
  return h(
    "section",
    { class: "settings-section", "data-testid": "settings-reminders", "aria-labelledby": "reminders-title" },
    h("h3", { id: "reminders-title" }, t("settings.reminders")),
    toggle("setting-notifications", "notifications", "settings.notifications", "settings.notifications_hint"),
    toggle("setting-autostart", "autostart", "settings.autostart", "settings.autostart_hint"),
    workingDaysField(f),
  );
}

/** The days the rep works: tasks the rules make land on them. */
function workingDaysField(f: SettingsForm): HTMLElement {
  // 2024-01-01 was a Monday: its week names the days in the UI language.
  const name = (n: number) => dateFormat(dateFormatLocale(), { weekday: "short" }).format(new Date(2024, 0, n));
  return h(
    "fieldset",
    { class: "working-days", "data-testid": "setting-working-days" },
    h("legend", null, t("settings.working_days")),
    h("div", { class: "day-boxes" }, [1, 2, 3, 4, 5, 6, 7].map((n) => {
      const box = h("input", {
        type: "checkbox", "data-testid": `setting-workday-${n}`, checked: f.draft.workingDays.includes(n),
        onchange: () => {
          const days = new Set(f.draft.workingDays);
          if (box.checked) days.add(n);
          else days.delete(n);
          f.draft.workingDays = [...days];
        },
      });
      return h("label", { class: "check inline" }, box, h("span", null, name(n)));
    })),
    h("span", { class: "hint" }, t("settings.working_days_hint")),
  );
}

/** The region national phone numbers are read in. */
export function phoneRegionField(f: SettingsForm): HTMLElement {
  const codes: string[] = [...PHONE_REGIONS];
  if (!codes.includes(f.draft.phoneRegion)) codes.unshift(f.draft.phoneRegion);
  const select = h(
    "select",
    { id: "setting-phone-region", "data-testid": "setting-phone-region", onchange: () => { f.draft.phoneRegion = select.value; } },
    codes.map((code) => h("option", { value: code, selected: code === f.draft.phoneRegion }, `${regionName(code)} (${code})`)),
  );
  return h("div", { class: "field" },
    h("label", { for: "setting-phone-region", class: "label" }, t("settings.phone_region")), select,
    h("span", { class: "hint" }, t("settings.phone_region_hint")));
}
