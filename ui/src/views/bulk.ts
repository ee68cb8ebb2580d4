// Working a long list: the selected contacts (click the box, Ctrl/⌘-click,
// Shift-click for a range, Space on a row, Ctrl+A for every loaded row) and
// the bar of what can be done to all of them at once — move to a stage, add
// or remove a tag, a task for each, export them. Each change is one
// transaction in the core, and its toast offers Undo.
import type { BulkChange } from "../bindings/BulkChange";
import type { BulkOutcome } from "../bindings/BulkOutcome";
import type { Stage } from "../bindings/Stage";
import { toLocalDay } from "../datetime";
import { DEFAULT_REMINDERS } from "../generated/core";
import { addDays, clock } from "../tasks";
import { h } from "../dom";
import { plural, stageName, t, type MessageKey } from "../i18n";
import * as ipc from "../ipc";
import type { Shell } from "../shell";
import { button, STAGES } from "./common";

/** Which contacts are selected, and where a Shift-click range starts. */
export class Selection {
  private readonly ids = new Set<string>();
  /** The row a Shift-click range starts from. */
  anchor: string | null = null;

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** The selected ids in the order of `order` (the list's rows). */
  inOrder(order: readonly string[]): string[] {
    return order.filter((id) => this.ids.has(id));
  }

  toggle(id: string): void {
    if (!this.ids.delete(id)) this.ids.add(id);
    this.anchor = id;
  }

  /** Selects the rows from the anchor to `id` (inclusive). */
  range(order: readonly string[], id: string): void {
    const a = this.anchor ? order.indexOf(this.anchor) : -1;
    const b = order.indexOf(id);
    if (a < 0 || b < 0) return this.toggle(id);
    for (const x of order.slice(Math.min(a, b), Math.max(a, b) + 1)) this.ids.add(x);
  }

  all(order: readonly string[]): void {
    for (const id of order) this.ids.add(id);
  }

  clear(): void {
    this.ids.clear();
    this.anchor = null;
  }

  /** Forgets rows no longer in the list. */
  keepOnly(order: readonly string[]): void {
    const shown = new Set(order);
    for (const id of [...this.ids]) if (!shown.has(id)) this.ids.delete(id);
  }
}

/** What the bar needs: the selected ids and a way to clear them. */
export interface BulkHost {
  app: Shell;
  ids(): string[];
  clear(): void;
}

/** The toast after a bulk change: what changed, what was left and why, and Undo. */
function outcomeText(change: BulkChange, out: BulkOutcome): string {
  const n = out.changed;
  const parts = [
    change.kind === "stage" ? plural("bulk.done_stage", n, { stage: stageName(change.to) })
      : change.kind === "add_tag" ? plural("bulk.done_tag_added", n, { tag: change.tag })
        : change.kind === "remove_tag" ? plural("bulk.done_tag_removed", n, { tag: change.tag })
          : change.kind === "task" ? plural("bulk.done_task", n, { title: change.input.title })
            : plural("bulk.done_delete", n),
  ];
  if (out.unchanged) parts.push(t("bulk.unchanged", { n: out.unchanged }));
  if (out.skipped.length) {
    const first = out.skipped[0];
    const known = ["invalid_transition", "same_stage", "not_found", "reason_required"];
    const why = t(`bulk.why.${known.includes(first.code) ? first.code : "other"}` as MessageKey);
    parts.push(t("bulk.skipped", { n: out.skipped.length, name: first.name, why }));
  }
  const tasks = out.automation.filter((o) => o.type === "task_created").length;
  if (tasks) parts.push(plural("bulk.rule_tasks", tasks));
  return parts.join(" ");
}

async function run(host: BulkHost, change: BulkChange): Promise<void> {
  const { app } = host;
  try {
    const out = await ipc.bulkChange(host.ids(), change);
    host.clear();
    await app.dataChanged();
    const undo = out.undo;
    app.showToast(outcomeText(change, out), undo ? {
      label: t("bulk.undo"),
      run: () => void (async () => {
        try {
          const back = await ipc.undoBulk(undo);
          await app.dataChanged();
          app.showToast(plural("bulk.undone", back.restored + back.tasks_removed) + (back.kept ? ` ${plural("bulk.kept", back.kept)}` : ""));
        } catch (e) {
          app.showError(e);
        }
      })(),
    } : undefined);
  } catch (e) {
    app.showError(e);
  }
}

/** The bar above the list while rows are selected. */
export function bulkBar(host: BulkHost): HTMLElement {
  const { app } = host;
  const n = host.ids().length;
  const stage = h("select", { class: "bulk-stage", "data-testid": "bulk-stage", "aria-label": t("bulk.stage") },
    h("option", { value: "" }, t("bulk.stage_pick")),
    STAGES.map((s) => h("option", { value: s }, stageName(s)))) as HTMLSelectElement;
  const reason = h("input", {
    type: "text", class: "bulk-reason", "data-testid": "bulk-reason", hidden: true,
    placeholder: t("bulk.reason"), "aria-label": t("bulk.reason"), autocomplete: "off",
  }) as HTMLInputElement;
  stage.addEventListener("change", () => { reason.hidden = stage.value !== "disqualified"; });
  const tag = h("input", {
    type: "text", class: "bulk-tag", "data-testid": "bulk-tag", placeholder: t("bulk.tag"), "aria-label": t("bulk.tag"), autocomplete: "off",
  }) as HTMLInputElement;
  const tagged = (kind: "add_tag" | "remove_tag") => () => {
    const value = tag.value.trim();
    if (!value) return tag.focus();
    void run(host, { kind, tag: value });
  };
  return h(
    "div",
    { class: "bulk-bar", role: "toolbar", "aria-label": t("bulk.toolbar"), "data-testid": "bulk-bar" },
    h("strong", { "data-testid": "bulk-count" }, t("bulk.selected", { n })),
    h("span", { class: "bulk-group" },
      stage, reason,
      button(t("bulk.apply"), {
        testid: "bulk-stage-apply",
        onclick: () => {
          if (!stage.value) return stage.focus();
          void run(host, { kind: "stage", to: stage.value as Stage, reason: reason.value.trim() || null });
        },
      })),
    h("span", { class: "bulk-group" },
      tag,
      button(t("bulk.tag_add"), { testid: "bulk-tag-add", onclick: tagged("add_tag") }),
      button(t("bulk.tag_remove"), { testid: "bulk-tag-remove", onclick: tagged("remove_tag") })),
    button(t("bulk.task"), { testid: "bulk-task", onclick: () => taskDialog(host) }),
    button(t("bulk.export"), {
      testid: "bulk-export",
      onclick: () => void ipc.exportContacts("csv", host.ids())
        .then((file) => { if (file) app.showToast(plural("bulk.exported", file.count, { file: file.name })); })
        .catch((e) => app.showError(e)),
    }),
    button(t("bulk.delete"), { testid: "bulk-delete", onclick: () => deleteDialog(host) }),
    button(t("bulk.clear"), { testid: "bulk-clear", kind: "ghost", title: "Esc", onclick: () => host.clear() }),
  );
}

/** Asks before deleting the selection, and says what Undo and erasing do. */
function deleteDialog(host: BulkHost): void {
  const { app } = host;
  const n = host.ids().length;
  const dialog = h("dialog", { class: "dialog narrow", "data-testid": "bulk-delete-dialog", role: "alertdialog", "aria-labelledby": "bulk-delete-heading" },
    h("div", { class: "dialog-form" },
      h("h2", { id: "bulk-delete-heading" }, plural("bulk.delete_heading", n)),
      h("p", null, t("bulk.delete_what")),
      h("p", { class: "hint" }, t("bulk.delete_undo")),
      h("footer", { class: "dialog-actions" },
        button(t("action.cancel"), { testid: "cancel", onclick: () => app.dismissModal() }),
        h("button", {
          type: "button", class: "btn btn-danger", "data-testid": "bulk-delete-do",
          onclick: () => { app.closeModal(); void run(host, { kind: "delete" }); },
        }, plural("bulk.delete_do", n))))) as HTMLDialogElement;
  app.openModal(dialog);
  dialog.querySelector<HTMLElement>('[data-testid="cancel"]')?.focus();
}

/** A task for each selected contact: its title and due date. */
function taskDialog(host: BulkHost): void {
  const { app } = host;
  const n = host.ids().length;
  const day = toLocalDay(addDays(clock.now(), 1));
  const title = h("input", { id: "bulk-task-title", type: "text", "data-testid": "bulk-task-title", autocomplete: "off" }) as HTMLInputElement;
  const due = h("input", { id: "bulk-task-due", type: "date", "data-testid": "bulk-task-due", value: day }) as HTMLInputElement;
  const slot = h("div", { class: "error-slot" });
  const dialog = h("dialog", { class: "dialog narrow", "data-testid": "bulk-task-dialog", "aria-labelledby": "bulk-task-heading" },
    h("form", {
      class: "dialog-form", novalidate: true,
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        if (!title.value.trim()) {
          slot.textContent = t("invalid.title");
          return title.focus();
        }
        const input = {
          title: title.value.trim(), contact_id: null, deal_id: null, due: due.value, priority: "normal" as const,
          notes: null, reminders: [...DEFAULT_REMINDERS], repeat: null,
        };
        app.closeModal();
        void run(host, { kind: "task", input });
      },
    },
    h("h2", { id: "bulk-task-heading" }, plural("bulk.task_heading", n)),
    h("div", { class: "field" }, h("label", { for: "bulk-task-title", class: "label" }, t("task.field.title")), title),
    h("div", { class: "field" }, h("label", { for: "bulk-task-due", class: "label" }, t("task.field.due_date")), due),
    slot,
    h("div", { class: "dialog-actions" },
      button(t("action.cancel"), { kind: "ghost", onclick: () => app.dismissModal() }),
      button(plural("bulk.task_create", n), { testid: "bulk-task-save", kind: "primary", type: "submit", onclick: () => {} }))),
  ) as HTMLDialogElement;
  app.openModal(dialog);
  title.focus();
}
