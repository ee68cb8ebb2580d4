// Small building blocks shared by the views.
import { h } from "../dom";
import type { Stage } from "../bindings/Stage";
import { stageName } from "../i18n";

export const STAGES: readonly Stage[] = ["lead", "prospect", "opportunity", "customer", "disqualified"];

export function stageBadge(stage: Stage, testid?: string): HTMLSpanElement {
  return h("span", { class: `badge stage-${stage}`, "data-testid": testid, "data-stage": stage }, stageName(stage));
}

/** A button whose tooltip and accessible shortcut name the keyboard shortcut. */
export function button(
  label: string,
  opts: { testid?: string; title?: string; keys?: string; kind?: "primary" | "ghost" | "plain"; onclick: () => void; type?: "button" | "submit" },
): HTMLButtonElement {
  return h(
    "button",
    {
      type: opts.type ?? "button",
      class: `btn btn-${opts.kind ?? "plain"}`,
      "data-testid": opts.testid,
      title: opts.title,
      "aria-keyshortcuts": opts.keys,
      onclick: opts.onclick,
    },
    label,
  );
}
