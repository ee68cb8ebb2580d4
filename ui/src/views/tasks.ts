// Follow-up tasks: the tasks view (tabs Overdue / Today / Upcoming / Done with
// counts), the contact page's tasks card, and the row both share: a done
// checkbox, title and priority, the due (relative, overdue in red), contact,
// recurrence, reminders, snooze state and a notes preview, with a snooze menu,
// edit, and a two-step delete.
import type { Shell } from "../shell";
import type { SnoozePreset } from "../bindings/SnoozePreset";
import type { TaskItem } from "../bindings/TaskItem";
import type { TriageAction } from "../bindings/TriageAction";
import * as ipc from "../ipc";
import { h, replace } from "../dom";
import { dueText, formatDate, morningTime, overdueText, plural, reminderText, repeatText, t, whenText, type MessageKey } from "../i18n";
import { addDays, ALL_DAY_REMINDER_HOUR, clock, dueAt, isOverdue, SNOOZE_PRESETS, TASK_TABS, type TaskTab } from "../tasks";
import { localToRfc3339, toLocalDay, toLocalInput } from "../datetime";
import { Selection } from "./bulk";
import { button } from "./common";

/** Where a row is shown: the contact page leaves out the contact's name. */
interface RowOptions {
  showContact: boolean;
  /** In the tasks view: whether the row is selected for triage, and how a click on its box changes that. */
  select?: { on: boolean; click: (ev: MouseEvent) => void };
}

/** The one open snooze menu, closed when another opens or on a click elsewhere. */
let closeOpenMenu: (() => void) | null = null;

function snoozeLabel(preset: SnoozePreset): string {
  return preset === "tomorrow_morning" ? t("snooze.tomorrow_morning", { time: morningTime() }) : t(`snooze.${preset}`);
}

/** The snooze button and its menu of presets. */
function snoozeControl(app: Shell, item: TaskItem): HTMLElement {
  const id = `snooze-menu-${item.task.id}`;
  const menu = h("div", { class: "menu", role: "menu", id, hidden: true });
  const btn = h("button", {
    type: "button", class: "btn btn-ghost task-action", "data-testid": "task-snooze", title: t("tasks.snooze_title"),
    "aria-haspopup": "menu", "aria-expanded": "false", "aria-controls": id,
    onclick: (ev: MouseEvent) => {
      ev.stopPropagation();
      if (menu.hidden) open();
      else close();
    },
  }, h("span", { "aria-hidden": "true" }, "☾ "), t("tasks.snooze"));
  const onDocClick = (ev: MouseEvent) => {
    if (!wrap.contains(ev.target as Node)) close();
  };
  const close = () => {
    menu.hidden = true;
    btn.setAttribute("aria-expanded", "false");
    document.removeEventListener("click", onDocClick, true);
    if (closeOpenMenu === close) closeOpenMenu = null;
  };
  /** "Pick a date and time…": a field in the menu, tomorrow 09:00 to start with. */
  const pick = () => {
    const start = addDays(clock.now(), 1);
    start.setHours(ALL_DAY_REMINDER_HOUR, 0, 0, 0);
    const at = h("input", {
      type: "datetime-local", class: "menu-field", "data-testid": "snooze-pick-at", "aria-label": t("snooze.pick_label"),
      value: toLocalInput(start), min: toLocalInput(clock.now()),
    });
    const ok = () => {
      const until = localToRfc3339(at.value);
      if (!until || Date.parse(until) <= clock.now().getTime()) {
        at.setAttribute("aria-invalid", "true");
        return at.focus();
      }
      close();
      void app.snoozeTaskUntil(item.task.id, until);
    };
    at.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") {
        ev.preventDefault();
        ok();
      }
    });
    replace(menu, at, h("button", { type: "button", role: "menuitem", class: "menu-item", "data-testid": "snooze-pick-ok", onclick: ok },
      t("snooze.pick_ok")));
    at.focus();
  };
  const open = () => {
    closeOpenMenu?.();
    replace(menu, SNOOZE_PRESETS.map((p) =>
      h("button", {
        type: "button", role: "menuitem", class: "menu-item", "data-testid": `snooze-${p}`,
        onclick: () => {
          close();
          void app.snoozeTask(item.task.id, p);
        },
      }, snoozeLabel(p))),
      h("button", { type: "button", role: "menuitem", class: "menu-item", "data-testid": "snooze-pick", onclick: pick },
        t("snooze.pick")));
    menu.hidden = false;
    btn.setAttribute("aria-expanded", "true");
    closeOpenMenu = close;
    document.addEventListener("click", onDocClick, true);
    menu.querySelector<HTMLElement>("button")?.focus();
  };
  const wrap = h("div", {
    class: "menu-wrap",
    onkeydown: (ev: KeyboardEvent) => {
      if (menu.hidden) return;
      const items = Array.from(menu.querySelectorAll<HTMLElement>("button"));
      const i = items.indexOf(document.activeElement as HTMLElement);
      if (ev.key === "Escape") {
        ev.preventDefault();
        ev.stopPropagation();
        close();
        btn.focus();
      } else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        ev.stopPropagation();
        const next = (i + (ev.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
        items[next]?.focus();
      }
    },
  }, btn, menu);
  return wrap;
}

/** The delete button: the first click arms it ("Really delete?"), the second deletes. */
function deleteControl(app: Shell, item: TaskItem): HTMLButtonElement {
  let armed = false;
  const del = h("button", {
    type: "button", class: "btn btn-ghost task-action task-delete", "data-testid": "task-delete", title: t("tasks.delete_title"),
    onclick: () => {
      if (!armed) {
        armed = true;
        del.textContent = t("tasks.delete_confirm");
        del.classList.add("armed");
        return;
      }
      void app.deleteTask(item.task.id);
    },
    onblur: () => {
      armed = false;
      del.textContent = t("tasks.delete");
      del.classList.remove("armed");
    },
  }, t("tasks.delete"));
  return del;
}

/** One task row. */
export function taskRow(app: Shell, item: TaskItem, opts: RowOptions): HTMLElement {
  const task = item.task;
  const now = clock.now();
  const overdue = isOverdue(task, now);
  const late = overdueText(task, now);
  const check = h("input", {
    type: "checkbox", "data-testid": "task-done", checked: task.done, disabled: task.done,
    "aria-label": t(task.done ? "tasks.is_done" : "tasks.mark_done", { title: task.title }),
    onchange: () => {
      if (check.checked) void app.completeTask(item);
    },
  });
  const repeat = repeatText(task.repeat);
  const reminders = task.reminders.map((r) => reminderText(r.before_minutes));
  const meta = [
    h("time", {
      class: `task-due${overdue ? " overdue" : ""}`, "data-testid": "task-due", datetime: task.due,
      "data-all-day": String(task.all_day), title: task.all_day ? formatDate(dueAt(task).toISOString()) : whenText(task.due, now),
    }, dueText(task, now), late ? h("span", { class: "overdue-by" }, ` · ${late}`) : null),
    task.done && task.done_at
      ? h("span", { class: "task-done-at muted" }, t("tasks.done_at", { when: whenText(task.done_at, now) }))
      : null,
    opts.showContact && task.contact_id
      ? h("button", {
          type: "button", class: "link task-contact", "data-testid": "task-contact", "data-id": task.contact_id,
          title: t("tasks.open_contact", { name: item.contact_name ?? "" }),
          onclick: () => void app.openContact(task.contact_id!, "tasks"),
        }, item.contact_name ?? "—")
      : null,
    task.deal_id && item.deal_title
      ? h("button", {
          type: "button", class: "link task-deal", "data-testid": "task-deal-link", "data-id": task.deal_id,
          title: t("tasks.open_deal", { title: item.deal_title }),
          onclick: () => void app.openDeal(task.deal_id!),
        }, item.deal_title)
      : null,
    repeat
      ? h("span", { class: "task-repeat", "data-testid": "task-repeat-text", title: t("tasks.repeats") },
          h("span", { "aria-hidden": "true" }, "↻ "), repeat)
      : null,
    reminders.length && !task.done
      ? h("span", { class: "task-reminders", "data-testid": "task-reminders", title: t("tasks.reminders") },
          h("span", { "aria-hidden": "true" }, "◔ "), reminders.join(", "))
      : null,
    task.snoozed_until && !task.done
      ? h("span", { class: "task-snoozed", "data-testid": "task-snoozed" },
          t("tasks.snoozed_until", { when: whenText(task.snoozed_until, now) }))
      : null,
  ];
  const notes = task.notes ? task.notes.split(/\r?\n/).find((l) => l.trim()) ?? "" : "";
  const cls = ["task-row", task.done ? "done" : "", overdue ? "is-overdue" : "", `prio-${task.priority}`].filter(Boolean).join(" ");
  return h(
    "li",
    { class: `${cls}${opts.select?.on ? " selected" : ""}`, "data-testid": "task-row", "data-id": task.id, "data-priority": task.priority },
    opts.select
      ? h("span", { class: "task-select" }, h("input", {
          type: "checkbox", class: "row-check", "data-testid": "task-select", checked: opts.select.on,
          "aria-label": t("triage.select", { title: task.title }), onclick: opts.select.click,
        }))
      : null,
    h("span", { class: "task-check" }, check),
    h(
      "div",
      { class: "task-main" },
      h(
        "div",
        { class: "task-line" },
        task.priority === "high"
          ? h("span", { class: "prio-mark high", "data-testid": "task-priority-mark", title: t("tasks.high"), "aria-label": t("tasks.high") }, "!")
          : task.priority === "low"
            ? h("span", { class: "prio-mark low", "data-testid": "task-priority-mark", title: t("tasks.low"), "aria-label": t("tasks.low") }, "↓")
            : null,
        h("span", { class: "task-title", "data-testid": "task-title" }, task.title),
      ),
      h("div", { class: "task-meta" }, meta),
      notes ? h("p", { class: "task-notes", "data-testid": "task-notes-preview", title: task.notes ?? "" }, notes) : null,
    ),
    h(
      "div",
      { class: "task-actions" },
      task.done ? null : snoozeControl(app, item),
      task.done ? null : h("button", {
        type: "button", class: "btn btn-ghost task-action", "data-testid": "task-edit", title: t("tasks.edit_title"),
        onclick: () => app.openTaskDialog(item),
      }, t("tasks.edit")),
      deleteControl(app, item),
    ),
  );
}

/** Keeps keyboard focus on the same control of the same row across a re-render. */
function keepFocus(container: HTMLElement, render: () => void): void {
  const active = document.activeElement as HTMLElement | null;
  const row = active && container.contains(active) ? active.closest<HTMLElement>('[data-testid="task-row"]') : null;
  const rowId = row?.dataset.id;
  const control = active?.dataset.testid;
  const tab = active && container.contains(active) && !row ? control : undefined;
  render();
  if (rowId && control) {
    const again = container.querySelector<HTMLElement>(`[data-testid="task-row"][data-id="${rowId}"] [data-testid="${control}"]`);
    (again ?? container.querySelector<HTMLElement>('[data-testid="task-row"] [data-testid="task-done"]:not(:disabled)'))?.focus();
  } else if (tab) {
    container.querySelector<HTMLElement>(`[data-testid="${tab}"]`)?.focus();
  }
}

/** The bar over the selected tasks: done, snooze, move to a day. */
function triageBar(app: Shell, ids: string[], clear: () => void): HTMLElement {
  const act = async (action: TriageAction, text: (n: number) => string) => {
    try {
      const out = await ipc.triageTasks(ids, action);
      clear();
      await app.refreshTasks();
      app.showToast(text(out.changed) + (out.skipped ? ` ${plural("triage.skipped", out.skipped)}` : ""));
    } catch (e) {
      app.showError(e);
    }
  };
  const snooze = h("select", {
    class: "triage-snooze", "data-testid": "triage-snooze", "aria-label": t("triage.snooze"),
    onchange: () => {
      const preset = snooze.value as SnoozePreset;
      if (preset) void act({ kind: "snooze", preset }, (n) => plural("triage.snoozed", n, { when: snoozeLabel(preset) }));
    },
  }, h("option", { value: "" }, t("triage.snooze")), SNOOZE_PRESETS.map((p) => h("option", { value: p }, snoozeLabel(p)))) as HTMLSelectElement;
  const day = h("input", {
    type: "date", class: "triage-day", "data-testid": "triage-day", "aria-label": t("triage.day"),
    value: toLocalDay(addDays(clock.now(), 1)),
  }) as HTMLInputElement;
  return h("div", { class: "bulk-bar triage-bar", role: "toolbar", "aria-label": t("triage.toolbar"), "data-testid": "triage-bar" },
    h("strong", { "data-testid": "triage-count" }, t("triage.selected", { n: ids.length })),
    button(t("triage.done"), { testid: "triage-done", kind: "primary", onclick: () => void act({ kind: "complete" }, (n) => plural("triage.completed", n)) }),
    snooze,
    h("span", { class: "bulk-group" },
      day,
      button(t("triage.move"), {
        testid: "triage-move",
        onclick: () => {
          if (!day.value) return day.focus();
          void act({ kind: "reschedule", day: day.value }, (n) => plural("triage.moved", n, { day: formatDate(`${day.value}T12:00:00`) }));
        },
      })),
    button(t("bulk.clear"), { testid: "triage-clear", kind: "ghost", onclick: clear }));
}

export class TasksView {
  readonly el: HTMLElement;
  private readonly app: Shell;
  /** Tasks selected for triage. */
  private readonly selection = new Selection();
  private readonly tabs: HTMLElement;
  private readonly body: HTMLElement;

  constructor(app: Shell) {
    this.app = app;
    this.tabs = h("div", { class: "tabs", role: "tablist", "aria-label": t("tasks.tabs") });
    this.body = h("div", { class: "tasks-body", role: "tabpanel" });
    this.el = h(
      "section",
      { class: "tasks-view", "data-testid": "tasks-view", "aria-labelledby": "tasks-title" },
      h(
        "header",
        { class: "tasks-head" },
        h("h1", { id: "tasks-title", "data-testid": "tasks-heading", tabindex: -1 }, t("tasks.title")),
        h("div", { class: "spacer" }),
        button(t("tasks.new"), {
          testid: "new-task", kind: "primary", title: t("tasks.new_title"), keys: "t", onclick: () => app.openTaskDialog(null),
        }),
      ),
      this.tabs,
      this.body,
    );
  }

  update(): void {
    keepFocus(this.el, () => this.render());
  }

  private render(): void {
    const s = this.app.tasks;
    const count = (tab: TaskTab): string => {
      if (tab === "done") return s.doneCount === null ? "" : String(s.doneCount);
      return s.counts ? String(s.counts[tab]) : "";
    };
    replace(
      this.tabs,
      TASK_TABS.map((tab) => {
        const active = s.tab === tab;
        const n = count(tab);
        return h(
          "button",
          {
            type: "button", role: "tab", class: `tab tab-${tab}${active ? " active" : ""}${tab === "overdue" && n !== "" && n !== "0" ? " has-overdue" : ""}`,
            "data-testid": `tasks-tab-${tab}`, "aria-selected": String(active), tabindex: active ? 0 : -1,
            title: tab === "upcoming" ? t("tasks.upcoming_hint") : null,
            onclick: () => this.app.setTaskTab(tab),
            onkeydown: (ev: KeyboardEvent) => this.onTabKey(ev, tab),
          },
          h("span", { class: "tab-label" }, t(`tasks.tab.${tab}` as MessageKey)),
          h("span", { class: "tab-count", "data-testid": "tab-count", hidden: n === "" }, n),
        );
      }),
    );
    const empty = s.items.length === 0;
    this.el.setAttribute("aria-busy", String(s.loading));
    if (empty) {
      replace(this.body, s.loaded
        ? h("div", { class: "tasks-empty", "data-testid": "tasks-empty" },
            h("span", { class: "empty-art small", "aria-hidden": "true" }, s.tab === "overdue" ? "✓" : "☀"),
            h("p", null, t(`tasks.empty.${s.tab}` as MessageKey)))
        : h("p", { class: "muted pad" }, t("list.loading")));
    } else {
      const open = s.tab !== "done";
      const order = s.items.map((i) => i.task.id);
      this.selection.keepOnly(order);
      const select = (id: string) => ({
        on: this.selection.has(id),
        click: (ev: MouseEvent) => {
          if (ev.shiftKey) this.selection.range(order, id);
          else this.selection.toggle(id);
          this.update();
        },
      });
      replace(this.body,
        open && this.selection.size ? triageBar(this.app, this.selection.inOrder(order), () => { this.selection.clear(); this.update(); }) : null,
        open ? h("label", { class: "check inline select-all" },
          h("input", {
            type: "checkbox", class: "row-check", "data-testid": "tasks-select-all", checked: this.selection.size === order.length,
            onchange: (ev: Event) => {
              if ((ev.target as HTMLInputElement).checked) this.selection.all(order);
              else this.selection.clear();
              this.update();
            },
          }), h("span", null, t("triage.select_all"))) : null,
        h("ul", { class: "task-list", "data-testid": "task-list" },
          s.items.map((item) => taskRow(this.app, item, { showContact: true, select: open ? select(item.task.id) : undefined }))));
    }
  }

  private onTabKey(ev: KeyboardEvent, tab: TaskTab): void {
    if (ev.key !== "ArrowRight" && ev.key !== "ArrowLeft") return;
    ev.preventDefault();
    const i = TASK_TABS.indexOf(tab);
    const next = TASK_TABS[(i + (ev.key === "ArrowRight" ? 1 : -1) + TASK_TABS.length) % TASK_TABS.length];
    this.app.setTaskTab(next);
    this.tabs.querySelector<HTMLElement>(`[data-testid="tasks-tab-${next}"]`)?.focus();
  }
}

/** The contact page's tasks card: open tasks first, then done ones, and "Add task". */
export class ContactTasksView {
  readonly el: HTMLElement;
  private readonly app: Shell;
  private readonly body: HTMLElement;

  constructor(app: Shell) {
    this.app = app;
    this.body = h("div", { class: "contact-tasks-body" });
    this.el = h(
      "section",
      { class: "card tasks-card", "data-testid": "contact-tasks", "aria-labelledby": "contact-tasks-title" },
      h(
        "div",
        { class: "card-head" },
        h("h2", { id: "contact-tasks-title" }, t("contact.tasks")),
        button(t("contact.add_task"), {
          testid: "contact-add-task", title: t("contact.add_task_title"), keys: "t", onclick: () => app.openTaskDialog(null),
        }),
      ),
      this.body,
    );
  }

  update(): void {
    keepFocus(this.el, () => {
      const ct = this.app.contactTasks;
      const items = ct?.items ?? [];
      replace(
        this.body,
        items.length
          ? h("ul", { class: "task-list compact" }, items.map((item) => taskRow(this.app, item, { showContact: false })))
          : h("p", { class: "muted", "data-testid": "contact-tasks-empty" }, ct?.loading ? t("list.loading") : t("contact.tasks_empty")),
      );
      this.el.setAttribute("aria-busy", String(ct?.loading ?? false));
    });
  }
}
