// The qualification section: the target profile, points per criterion and
// per activity, the half-life, the thresholds and auto-advance.
import { h } from "../../dom";
import { kindName, t, type MessageKey } from "../../i18n";
import { ACTIVITY_KINDS, CRITERIA } from "../../settings";
import type { SettingsForm } from "./form";

export function scoringSection(f: SettingsForm): HTMLElement {
  const numberField = (testid: string, label: string, hint?: string) => {
    const id = `s-${testid}`;
    const problem = f.problems.find((p) => p.testid === testid);
    const input = h("input", {
      id, type: "text", inputmode: "numeric", class: "num-input", "data-testid": testid, value: f.draft.text[testid] ?? "",
      autocomplete: "off", "aria-invalid": problem ? "true" : null, "aria-describedby": problem ? `${id}-err` : null,
      oninput: () => { f.draft.text[testid] = input.value; },
    });
    const dflt = f.defaults.text[testid];
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
      id, type: "text", "data-testid": testid, value: f.draft.text[testid] ?? "", autocomplete: "off",
      oninput: () => { f.draft.text[testid] = input.value; },
    });
    return h("div", { class: "field" },
      h("label", { for: id, class: "label" }, t(label), h("span", { class: "hint" }, ` (${t("form.comma_separated")}; ${t("settings.empty_any")})`)),
      input);
  };
  const auto = h("input", {
    type: "checkbox", "data-testid": "setting-auto-advance", checked: f.draft.autoAdvance,
    onchange: () => { f.draft.autoAdvance = auto.checked; },
  });
  return h(
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
        `${t("settings.half_life_hint")}; ${t("settings.default", { value: f.defaults.text["setting-half-life"] })}`),
      numberField("setting-prospect-threshold", t("settings.prospect_threshold")),
      numberField("setting-opportunity-threshold", t("settings.opportunity_threshold")),
    ),
    h(
      "label",
      { class: "check" },
      auto,
      h("span", null, h("span", { class: "label" }, t("settings.auto_advance")), h("br"), h("span", { class: "hint" }, t("settings.auto_advance_hint"))),
    ),
  );
}
