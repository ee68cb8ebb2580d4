// The contact picker of the task and deal dialogs: a search box that
// suggests contacts as the user types (debounced, newest answer wins), arrow
// keys through the suggestions, and the chosen contact as a chip with ×.

import { h, replace } from "../dom";
import { t, type MessageKey } from "../i18n";
import * as ipc from "../ipc";
import { Latest } from "../latest";

const CONTACT_LIMIT = 8;
const CONTACT_DEBOUNCE_MS = 120;

/** A contact as the picker shows it. */
export interface PickedContact {
  id: string;
  name: string;
}

export interface ContactPicker {
  /** The search box (focus it, or point a field error at it). */
  input: HTMLInputElement;
  /** Chip, search box and suggestions, to place under a label for `${prefix}-contact`. */
  parts: HTMLElement[];
  /** The chosen contact. */
  value(): PickedContact | null;
}

/**
 * `prefix` names the ids, test ids and messages (`task` → `task-contact-input`,
 * `task.contact_placeholder`, …). `onPicked` runs after a suggestion is chosen
 * (to move the focus on); `onError` shows a failed search; `onChange` runs when
 * the chosen contact is picked or removed.
 */
export function contactPicker(
  prefix: "task" | "deal" | "appt",
  initial: PickedContact | null,
  onPicked: () => void,
  onError: (e: unknown) => void,
  onChange: (c: PickedContact | null) => void = () => {},
): ContactPicker {
  let chosen = initial;
  const msg = (key: string) => t(`${prefix}.${key}` as MessageKey);
  const input = h("input", {
    id: `${prefix}-contact`, type: "search", "data-testid": `${prefix}-contact-input`, autocomplete: "off",
    spellcheck: "false", placeholder: msg("contact_placeholder"), role: "combobox", "aria-autocomplete": "list",
    "aria-controls": `${prefix}-contact-options`, "aria-expanded": "false",
    oninput: () => search(),
    onkeydown: (ev: KeyboardEvent) => {
      if (ev.key === "ArrowDown") {
        ev.preventDefault();
        options.querySelector<HTMLElement>("button")?.focus();
      } else if (ev.key === "Enter") {
        // Enter picks the first suggestion instead of saving the dialog.
        ev.preventDefault();
        options.querySelector<HTMLElement>("button")?.click();
      }
    },
  }) as HTMLInputElement;
  const options = h("ul", { class: "suggestions", id: `${prefix}-contact-options`, role: "listbox", hidden: true });
  const chip = h("div", { class: "contact-chosen" });
  let timer: ReturnType<typeof setTimeout> | null = null;
  const latest = new Latest();

  const showOptions = (list: HTMLElement[] | null) => {
    replace(options, list ?? []);
    options.hidden = list === null;
    input.setAttribute("aria-expanded", String(list !== null));
  };
  const render = () => {
    input.hidden = chosen !== null;
    chip.hidden = chosen === null;
    replace(chip, chosen
      ? [
          h("span", { class: "chip-person", "data-testid": `${prefix}-contact-name` }, chosen.name),
          h("button", {
            type: "button", class: "btn btn-ghost chip-clear", "data-testid": `${prefix}-contact-clear`,
            "aria-label": msg("contact_clear"), title: msg("contact_clear"),
            onclick: () => { chosen = null; render(); input.value = ""; input.focus(); onChange(null); },
          }, "×"),
        ]
      : []);
    if (chosen) showOptions(null);
  };
  const suggestion = (c: { id: string; display_name: string; organization: string | null }) =>
    h("li", { role: "presentation" },
      h("button", {
        type: "button", role: "option", class: "suggestion", "data-testid": `${prefix}-contact-option`, "data-id": c.id,
        onclick: () => { chosen = { id: c.id, name: c.display_name }; render(); onChange(chosen); onPicked(); },
        onkeydown: (ev: KeyboardEvent) => {
          const sib = ev.key === "ArrowDown" ? "nextElementSibling" : ev.key === "ArrowUp" ? "previousElementSibling" : null;
          if (!sib) return;
          ev.preventDefault();
          const li = (ev.currentTarget as HTMLElement).parentElement?.[sib] as HTMLElement | null;
          (li?.querySelector("button") ?? (ev.key === "ArrowUp" ? input : null))?.focus();
        },
      }, c.display_name, c.organization ? h("span", { class: "muted" }, ` · ${c.organization}`) : null));
  const search = () => {
    if (timer) clearTimeout(timer);
    const text = input.value.trim();
    if (!text) {
      showOptions(null);
      return;
    }
    timer = setTimeout(async () => {
      const current = latest.start();
      try {
        const page = await ipc.listContacts({
          stage: null, search: text, sort: "name", offset: 0, limit: CONTACT_LIMIT, ready_to_qualify: false,
        });
        if (!current()) return;
        showOptions(page.items.length
          ? page.items.map(suggestion)
          : [h("li", { class: "muted suggestion-none" }, msg("contact_none"))]);
      } catch (e) {
        onError(e);
      }
    }, CONTACT_DEBOUNCE_MS);
  };
  render();
  return { input, parts: [chip, input, options], value: () => chosen };
}
