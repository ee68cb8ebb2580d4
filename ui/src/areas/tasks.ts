// The tasks view (tabs, their tasks, the counts behind the nav badge) and
// what the rep does to a task anywhere in the app.
import type { SnoozePreset } from "../bindings/SnoozePreset";
import type { TaskItem } from "../bindings/TaskItem";
import { byTestId } from "../dom";
import { dueText, t } from "../i18n";
import * as ipc from "../ipc";
import { Latest } from "../latest";
import type { PresetContact, PresetDeal, TasksState } from "../shell";
import type { TaskTab } from "../tasks";
import { taskDialog } from "../views/taskDialog";
import { TasksView } from "../views/tasks";
import type { Hub } from "./hub";

export class TasksArea {
  state: TasksState = { tab: "today", items: [], counts: null, doneCount: null, loading: false, loaded: false };
  view: TasksView | null = null;
  private readonly latest = { tasks: new Latest(), counts: new Latest() };

  constructor(private readonly app: Hub) {}

  mount(): TasksView {
    this.view = new TasksView(this.app);
    return this.view;
  }

  /** The "Tasks" nav item: shows the tasks view (first time: Overdue when anything is, else Today). */
  async show(): Promise<void> {
    const app = this.app;
    app.clearError();
    if (app.view.name !== "tasks" && !this.state.loaded && (this.state.counts?.overdue ?? 0) > 0) this.state.tab = "overdue";
    app.view = { name: "tasks" };
    app.origin = "tasks";
    app.render();
    byTestId<HTMLElement>(app.main, "tasks-heading")?.focus();
    await this.reload();
  }

  setTab(tab: TaskTab): void {
    if (this.state.tab !== tab) {
      this.state.tab = tab;
      this.state.items = [];
      this.state.loaded = false;
    }
    void this.reload();
  }

  /** Loads the active tab's tasks and the counts. */
  async reload(): Promise<void> {
    const s = this.state;
    const current = this.latest.tasks.start();
    const tab = s.tab;
    s.loading = true;
    this.view?.update();
    try {
      const [items] = await Promise.all([ipc.listTasks(tab), this.refreshCounts()]);
      if (!current()) return;
      s.items = items;
      s.loaded = true;
      if (tab === "done") s.doneCount = items.length;
    } catch (e) {
      if (current()) this.app.showError(e);
    } finally {
      if (current()) {
        s.loading = false;
        this.view?.update();
      }
    }
  }

  /** Fetches overdue/today/upcoming counts for the tabs and the nav badge. */
  async refreshCounts(): Promise<void> {
    const current = this.latest.counts.start();
    try {
      const counts = await ipc.taskCounts();
      if (!current()) return;
      this.state.counts = counts;
      this.app.updateBadge();
      this.view?.update();
    } catch {
      /* counts are a convenience; the views show their own errors */
    }
  }

  /** After any task change (here or in the backend): counts, the tasks view, the open contact's tasks. */
  async refresh(): Promise<void> {
    const jobs: Promise<void>[] = [];
    if (this.app.view.name === "tasks") jobs.push(this.reload());
    else jobs.push(this.refreshCounts());
    if (this.app.view.name === "contact" && this.app.contactTasks) jobs.push(this.app.loadContactTasks());
    await Promise.all(jobs);
  }

  /**
   * Opens the task dialog: `item` to edit, else a new task for `deal` and its
   * contact when given, else (on a contact page) for that contact.
   */
  openDialog(item: TaskItem | null, deal: { deal: PresetDeal; contact: PresetContact } | null = null): void {
    const view = this.app.view;
    const c = view.name === "contact" ? view.detail.contact : null;
    if (deal) taskDialog(this.app, item, deal.contact, deal.deal);
    else taskDialog(this.app, item, c ? { id: c.id, name: c.display_name } : null);
  }

  async complete(item: TaskItem): Promise<void> {
    try {
      const done = await ipc.completeTask(item.task.id);
      const next = done.next?.task;
      this.app.showToast(next
        ? t("tasks.completed_next", { title: item.task.title, when: dueText(next) })
        : t("tasks.completed", { title: item.task.title }));
    } catch (e) {
      this.app.showError(e);
    }
    await this.refresh();
  }

  snooze(id: string, preset: SnoozePreset): Promise<void> {
    return this.change(() => ipc.snoozeTask(id, preset));
  }

  snoozeUntil(id: string, until: string): Promise<void> {
    return this.change(() => ipc.snoozeTaskUntil(id, until));
  }

  remove(id: string): Promise<void> {
    return this.change(() => ipc.deleteTask(id));
  }

  /** A change to a task; whatever came of it, the task views refresh. */
  private async change(run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (e) {
      this.app.showError(e);
    }
    await this.refresh();
  }
}
