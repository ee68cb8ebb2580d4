// Duplicates (a large dialog): the pairs find_duplicates proposes with why
// they match, and per pair the merge view: both contacts side by side, which
// one survives (swappable), one choice per single-valued field whose values
// differ, and merge_contacts; then the survivor's page opens.
import type { Stage } from "../bindings/Stage";
import type { Shell } from "../shell";
import type { Contact } from "../bindings/Contact";
import type { DuplicatePair } from "../bindings/DuplicatePair";
import type { MergeField } from "../bindings/MergeField";
import { h, replace, type Child } from "../dom";
import { formatDate, plural, stageName, t, type MessageKey } from "../i18n";
import * as ipc from "../ipc";
import { button, formatAddress, stageBadge } from "./common";

export const MERGE_FIELDS: readonly MergeField[] = [
  "salutation", "first_name", "last_name", "display_name", "organization", "title", "address", "website", "source", "notes", "stage",
];

/** A single-valued field as text ("" when empty), to compare and show. */
export function mergeValue(c: Contact, f: MergeField): string {
  if (f === "address") return formatAddress(c.address) ?? "";
  if (f === "stage") return stageName(c.stage);
  return (c[f] ?? "").trim();
}

const fieldLabel = (f: MergeField) => t(`field.${f}` as MessageKey);

/** How far along the lifecycle a stage is (disqualified least: a live record wins). */
const STAGE_RANK: Record<Stage, number> = { disqualified: -1, lead: 0, prospect: 1, opportunity: 2, customer: 3 };

/**
 * Fields whose values differ, each defaulting to the survivor's value (the
 * other's when the survivor's is empty), and the stage to the one further
 * along: merging a customer into a lead keeps a customer.
 */
function defaultPicks(survivor: Contact, other: Contact): Map<MergeField, "survivor" | "other"> {
  const picks = new Map<MergeField, "survivor" | "other">();
  for (const f of MERGE_FIELDS) {
    const s = mergeValue(survivor, f);
    const o = mergeValue(other, f);
    if (s === o) continue;
    if (f === "stage") picks.set(f, STAGE_RANK[other.stage] > STAGE_RANK[survivor.stage] ? "other" : "survivor");
    else picks.set(f, s === "" ? "other" : "survivor");
  }
  return picks;
}

export function duplicatesDialog(app: Shell): void {
  let pairs: DuplicatePair[] | null = null;
  let merging: { pair: DuplicatePair; survivorIsA: boolean; picks: Map<MergeField, "survivor" | "other"> } | null = null;
  let busy = false;
  /** Pairs ticked for "Merge selected" (by the pair's two ids). */
  const selected = new Set<string>();
  const pairKey = (p: DuplicatePair) => `${p.a.id}:${p.b.id}`;

  const dialog = h("dialog", { class: "dialog wide dup-dialog", "data-testid": "duplicates-dialog", "aria-labelledby": "dup-title" });
  const errors = h("div", { class: "error-slot", "data-slot": "duplicates" });
  const focus = (id: string) => dialog.querySelector<HTMLElement>(`[data-testid="${id}"]`)?.focus();

  const load = async () => {
    try {
      pairs = await ipc.findDuplicates();
    } catch (e) {
      pairs = [];
      app.showError(e, errors);
    }
    render();
  };

  const who = (c: Contact): Child[] => [
    h("span", { class: "dup-name" }, c.display_name),
    c.organization ? h("span", { class: "muted" }, ` · ${c.organization}`) : null,
  ];

  /** Why a pair is offered: "Same email: …"; a name spelt alike on both sides is the same name, not a similar one. */
  const reasonText = (r: DuplicatePair["reasons"][number]): string => {
    const [a, b] = r.value.split(" ~ ");
    if (r.kind === "name" && a === b) return `${t("dup.kind.same_name")}: ${a}`;
    return `${t(`dup.kind.${r.kind}` as MessageKey)}: ${r.value}`;
  };

  /** "Not a duplicate": remembered, the pair is not offered again. */
  const dismiss = async (p: DuplicatePair) => {
    try {
      await ipc.dismissDuplicate(p.a.id, p.b.id);
      selected.delete(pairKey(p));
      pairs = (pairs ?? []).filter((x) => x !== p);
      render();
      app.showToast(t("dup.dismissed", { a: p.a.display_name, b: p.b.display_name }));
    } catch (e) {
      app.showError(e, errors);
    }
  };

  /** Merges every ticked pair with the values offered first (the older record survives; the further stage is kept). */
  const mergeSelected = async () => {
    const chosen = (pairs ?? []).filter((p) => selected.has(pairKey(p)));
    if (!chosen.length || busy) return;
    busy = true;
    render();
    let merged = 0;
    const gone = new Set<string>();
    try {
      for (const p of chosen) {
        // A contact merged away in an earlier pair is no longer there.
        if (gone.has(p.a.id) || gone.has(p.b.id)) continue;
        const picks = defaultPicks(p.a, p.b);
        await ipc.mergeContacts(p.a.id, p.b.id, { from_other: MERGE_FIELDS.filter((f) => picks.get(f) === "other") });
        gone.add(p.b.id);
        merged += 1;
      }
    } catch (e) {
      app.showError(e, errors);
    }
    busy = false;
    selected.clear();
    app.showToast(plural("dup.merged_many", merged));
    void app.dataChanged();
    await load();
  };

  const pairItem = (p: DuplicatePair): HTMLElement =>
    h(
      "li",
      { class: "dup-pair", "data-testid": "duplicate-pair" },
      h("label", { class: "check dup-select", title: t("dup.select") },
        h("input", {
          type: "checkbox", "data-testid": "dup-select", checked: selected.has(pairKey(p)), "aria-label": t("dup.select_pair", { a: p.a.display_name, b: p.b.display_name }),
          onchange: (ev: Event) => {
            if ((ev.target as HTMLInputElement).checked) selected.add(pairKey(p));
            else selected.delete(pairKey(p));
            render();
          },
        })),
      h("div", { class: "dup-people" },
        h("div", { "data-testid": "dup-a" }, who(p.a)),
        h("span", { class: "arrow", "aria-hidden": "true" }, "⇄"),
        h("div", { "data-testid": "dup-b" }, who(p.b))),
      h("ul", { class: "tags dup-reasons" }, p.reasons.map((r) =>
        h("li", { class: "tag", "data-testid": "dup-reason" }, reasonText(r)))),
      button(t("dup.merge"), {
        testid: "merge-open", onclick: () => {
          merging = { pair: p, survivorIsA: true, picks: defaultPicks(p.a, p.b) };
          app.clearError();
          render();
          focus("merge-confirm");
        },
      }),
      button(t("dup.dismiss"), { testid: "dup-dismiss", kind: "ghost", title: t("dup.dismiss_title"), onclick: () => void dismiss(p) }),
    );

  const listBody = (): Child[] => {
    if (pairs === null) return [h("p", { class: "muted" }, t("list.loading"))];
    if (!pairs.length) return [h("div", { class: "no-matches", "data-testid": "duplicates-empty" }, h("p", null, t("dup.none")))];
    return [
      h("p", { class: "muted" }, plural("dup.intro", pairs.length)),
      h("ul", { class: "plain dup-list" }, pairs.map(pairItem)),
    ];
  };

  const sideCard = (c: Contact, role: "survivor" | "other"): HTMLElement => {
    const rows: [MessageKey, Child][] = [
      ["field.organization", c.organization],
      ["field.title", c.title],
      ["field.emails", c.emails.join(", ")],
      ["field.phones", c.phones.join(", ")],
      ["field.tags", c.tags.join(", ")],
      ["field.created_at", formatDate(c.created_at)],
    ];
    return h(
      "section",
      { class: `card merge-side ${role}`, "data-testid": `merge-${role}` },
      h("p", { class: "merge-role" }, t(role === "survivor" ? "dup.survivor" : "dup.other")),
      h("h3", null, c.display_name, " ", stageBadge(c.stage)),
      h("dl", { class: "fields compact" }, rows.map(([k, v]) => [
        h("dt", null, t(k)),
        h("dd", null, v ? v : h("span", { class: "muted" }, t("contact.none"))),
      ])),
    );
  };

  const mergeBody = (): Child[] => {
    const m = merging!;
    const survivor = m.survivorIsA ? m.pair.a : m.pair.b;
    const other = m.survivorIsA ? m.pair.b : m.pair.a;
    const choices = [...m.picks.keys()];
    const radio = (f: MergeField, side: "survivor" | "other", c: Contact) => {
      const value = mergeValue(c, f);
      const input = h("input", {
        type: "radio", name: `merge-${f}`, value: side, "data-testid": "merge-radio", checked: m.picks.get(f) === side,
        onchange: () => { if (input.checked) m.picks.set(f, side); },
      });
      return h("label", { class: "check merge-choice" }, input,
        value ? h("span", { class: "merge-value" }, value) : h("span", { class: "muted" }, t("dup.empty_value")));
    };
    return [
      h("div", { class: "merge-sides" }, sideCard(survivor, "survivor"),
        button(t("dup.swap"), {
          testid: "merge-swap", kind: "ghost", title: t("dup.swap_title"),
          onclick: () => {
            m.survivorIsA = !m.survivorIsA;
            const s = m.survivorIsA ? m.pair.a : m.pair.b;
            m.picks = defaultPicks(s, m.survivorIsA ? m.pair.b : m.pair.a);
            render();
            focus("merge-swap");
          },
        }),
        sideCard(other, "other")),
      choices.length
        ? h("fieldset", { class: "merge-fields" }, h("legend", null, t("dup.choose_values")),
            choices.map((f) => h("div", { class: "merge-field", role: "radiogroup", "aria-label": fieldLabel(f), "data-testid": "merge-field", "data-field": f },
              h("span", { class: "label" }, fieldLabel(f)), radio(f, "survivor", survivor), radio(f, "other", other))))
        : h("p", { class: "muted" }, t("dup.no_conflicts")),
      h("p", { class: "hint", "data-testid": "merge-note" }, t("dup.merge_note")),
    ];
  };

  const confirm = async () => {
    const m = merging;
    if (!m || busy) return;
    const survivor = m.survivorIsA ? m.pair.a : m.pair.b;
    const other = m.survivorIsA ? m.pair.b : m.pair.a;
    const fromOther = MERGE_FIELDS.filter((f) => m.picks.get(f) === "other");
    busy = true;
    render();
    try {
      const detail = await ipc.mergeContacts(survivor.id, other.id, { from_other: fromOther });
      app.closeModal();
      app.origin = "list";
      app.list.stale = true;
      app.contactChanged(detail);
      void app.refreshTasks();
    } catch (e) {
      busy = false;
      render();
      app.showError(e, errors);
    }
  };

  const render = () => {
    const inMerge = merging !== null;
    replace(
      dialog,
      h(
        "div",
        { class: "dialog-form" },
        h("h2", { id: "dup-title" }, inMerge ? t("dup.merge_title") : t("dup.title")),
        inMerge ? mergeBody() : listBody(),
        errors,
        h(
          "footer",
          { class: "dialog-actions" },
          inMerge
            ? [
                button(t("action.back"), { testid: "merge-back", onclick: () => { merging = null; app.clearError(); render(); } }),
                h("button", { type: "button", class: "btn btn-primary", "data-testid": "merge-confirm", disabled: busy, onclick: () => void confirm() },
                  t("dup.merge_confirm")),
              ]
            : [
                pairs?.length
                  ? h("button", {
                      type: "button", class: "btn btn-primary", "data-testid": "dup-merge-selected", disabled: busy || selected.size === 0,
                      onclick: () => void mergeSelected(),
                    }, plural("dup.merge_selected", selected.size))
                  : null,
                button(t("action.close"), { testid: "duplicates-close", onclick: () => app.closeModal() }),
              ],
        ),
      ),
    );
  };

  render();
  app.openModal(dialog, render);
  void load();
}
