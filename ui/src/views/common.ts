// Small building blocks shared by the views.
import * as ipc from "../ipc";
import { h, type Child } from "../dom";
import type { Address } from "../bindings/Address";
import type { Mark } from "../bindings/Mark";
import type { Stage } from "../bindings/Stage";
import { stageName, t } from "../i18n";

export const STAGES: readonly Stage[] = ["lead", "prospect", "opportunity", "customer", "disqualified"];

/** `text` with the stretches `marks` names (in characters) as `<mark>`: what a search matched. */
export function marked(text: string, marks: readonly Mark[]): Child[] {
  if (marks.length === 0) return [text];
  const chars = Array.from(text);
  const out: Child[] = [];
  let at = 0;
  for (const m of marks) {
    if (m.start < at || m.start >= chars.length) continue;
    if (m.start > at) out.push(chars.slice(at, m.start).join(""));
    out.push(h("mark", null, chars.slice(m.start, m.end).join("")));
    at = Math.min(m.end, chars.length);
  }
  if (at < chars.length) out.push(chars.slice(at).join(""));
  return out;
}

/**
 * A matched field's text from a little before its first mark, so that a
 * narrow column still shows what matched: "Kirchplatz 8, 97989 Würzburg"
 * → "… 97989 Würzburg". Cut at a word where one is near; marks follow.
 */
export function fromFirstMark(text: string, marks: readonly Mark[], lead = 8): [string, Mark[]] {
  const first = marks[0];
  if (!first || first.start <= lead) return [text, [...marks]];
  const chars = Array.from(text);
  let from = first.start - lead;
  const space = chars.slice(from, first.start).indexOf(" ");
  if (space >= 0) from += space + 1;
  const shift = from - 2; // "… " stands for what is cut
  return [
    `… ${chars.slice(from).join("")}`,
    marks.filter((m) => m.start >= from).map((m) => ({ start: m.start - shift, end: m.end - shift })),
  ];
}

export function stageBadge(stage: Stage, testid?: string): HTMLSpanElement {
  return h("span", { class: `badge stage-${stage}`, "data-testid": testid, "data-stage": stage }, stageName(stage));
}

/**
 * A mailto:, tel: or web link, opened by the system's handler (the mail
 * program, the phone app, the browser) instead of inside the window; a click
 * on it does not also act on the row it sits in.
 */
export function link(href: string, text: string, testid: string): HTMLAnchorElement {
  return h("a", {
    href, class: "link", "data-testid": testid,
    onclick: (ev: MouseEvent) => {
      ev.preventDefault();
      ev.stopPropagation();
      void ipc.openLink(href).catch(() => {});
    },
    onkeydown: (ev: KeyboardEvent) => { if (ev.key === "Enter") ev.stopPropagation(); },
  }, text);
}

/** A `tel:` link's address for a stored number: the digits and a leading + (the core stores E.164). */
export const telHref = (phone: string) => `tel:${phone.replace(/[^+\d]/g, "")}`;

/** A button whose tooltip and accessible shortcut name the keyboard shortcut. */
export function button(
  label: string,
  opts: { testid?: string; title?: string; keys?: string; kind?: "primary" | "ghost" | "plain"; onclick: () => void; type?: "button" | "submit"; disabled?: boolean },
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
      disabled: opts.disabled,
    },
    label,
  );
}

/**
 * A modal dialog holding one form: a heading, the body, an error slot and
 * Cancel + the primary action. The heading labels the dialog for screen readers.
 */
export function formDialog(
  app: { dismissModal(): void },
  o: { testid: string; cls?: string; heading: Child[]; onSubmit: () => void; errors: HTMLElement; save: HTMLElement },
  ...body: Child[]
): HTMLDialogElement {
  const titleId = `${o.testid}-title`;
  return h(
    "dialog",
    { class: o.cls ? `dialog ${o.cls}` : "dialog", "data-testid": o.testid, "aria-labelledby": titleId },
    h(
      "form",
      { class: "dialog-form", novalidate: true, onsubmit: (ev: Event) => { ev.preventDefault(); o.onSubmit(); } },
      h("h2", { id: titleId }, ...o.heading),
      ...body,
      o.errors,
      h(
        "footer",
        { class: "dialog-actions" },
        button(t("action.cancel"), { testid: "cancel", onclick: () => app.dismissModal() }),
        o.save,
      ),
    ),
  );
}

/**
 * An address on one line in German postal order: "Hauptstr. 5, 10115 Berlin",
 * then region and country when set; null when every part is empty.
 */
export function formatAddress(a: Address | null | undefined): string | null {
  if (!a) return null;
  const town = [a.postcode, a.city].map((x) => x?.trim()).filter(Boolean).join(" ");
  const parts = [a.street, town, a.region, a.country].map((x) => x?.trim()).filter(Boolean);
  return parts.length ? parts.join(", ") : null;
}
