// The open contact: its page with the timeline, tasks and deals cards, and
// what changes it (activities, the proposal accepted).
import type { ActivityKind } from "../bindings/ActivityKind";
import type { ContactDetail } from "../bindings/ContactDetail";
import { byTestId, replace } from "../dom";
import * as ipc from "../ipc";
import { Latest } from "../latest";
import { TIMELINE_PAGE, type ContactDealsState, type ContactTasksState, type Place, type TimelineState } from "../shell";
import { contactOrder } from "../tasks";
import { renderContactPage } from "../views/contact";
import { ContactDealsView } from "../views/contactDeals";
import { ContactTasksView } from "../views/tasks";
import { TimelineView } from "../views/timeline";
import type { Hub } from "./hub";

export class ContactArea {
  timeline: TimelineState | null = null;
  tasks: ContactTasksState | null = null;
  deals: ContactDealsState | null = null;
  private timelineView: TimelineView | null = null;
  private tasksView: ContactTasksView | null = null;
  private dealsView: ContactDealsView | null = null;
  private readonly latest = { timeline: new Latest(), tasks: new Latest(), deals: new Latest() };

  constructor(private readonly app: Hub) {}

  /** The page of `detail` on screen in `main`, its cards loaded as they are. */
  mount(main: HTMLElement, detail: ContactDetail): void {
    this.timelineView = new TimelineView(this.app);
    this.tasksView = new ContactTasksView(this.app);
    this.dealsView = new ContactDealsView(this.app);
    replace(main, renderContactPage(this.app, detail, this.timelineView.el, this.tasksView.el, this.dealsView.el));
    this.timelineView.update();
    this.tasksView.update();
    this.dealsView.update();
  }

  unmount(): void {
    this.timelineView = null;
    this.tasksView = null;
    this.dealsView = null;
  }

  /** After a restore, and when a page opens: nothing of the last contact is kept. */
  reset(): void {
    this.timeline = null;
    this.tasks = null;
    this.deals = null;
  }

  /** Opens a contact page; `from` says where Back returns to (default: where the user is). */
  async open(id: string, from?: Place): Promise<void> {
    try {
      const detail = await ipc.getContact(id);
      if (from) this.app.origin = from;
      else if (this.app.view.name !== "contact") this.app.origin = this.app.place;
      // Opened anew, read anew: the timeline, tasks and deals may have
      // changed since it was last open (another rep's, by sync).
      this.reset();
      this.show(detail);
    } catch (e) {
      this.app.showError(e);
    }
  }

  /** Shows a contact page; `focus` names the data-testid to focus (default: the name). */
  show(detail: ContactDetail, focus = "contact-name"): void {
    this.app.clearError();
    this.app.view = { name: "contact", detail };
    const id = detail.contact.id;
    const fresh = this.timeline?.contactId !== id;
    if (fresh) this.timeline = { contactId: id, kind: null, items: [], total: 0, counts: {}, loading: true };
    const freshTasks = this.tasks?.contactId !== id;
    if (freshTasks) this.tasks = { contactId: id, items: [], loading: true };
    const freshDeals = this.deals?.contactId !== id;
    if (freshDeals) this.deals = { contactId: id, data: null };
    this.app.render();
    (byTestId(this.app.main, focus) ?? byTestId(this.app.main, "contact-name"))?.focus();
    if (fresh) void this.loadTimeline(false);
    if (freshTasks) void this.loadTasks();
    if (freshDeals) void this.loadDeals();
  }

  /**
   * Called after a contact changed: update the page, mark the list for refetch,
   * and announce a qualification proposal that was not there before.
   */
  changed(detail: ContactDetail, opts: { focus?: string; activities?: boolean; stay?: boolean } = {}): void {
    const c = detail.contact;
    const list = this.app.list;
    const view = this.app.view;
    const before = view.name === "contact" && view.detail.contact.id === c.id
      ? view.detail.contact.proposal
      : list.items.find((x) => x.id === c.id)?.proposal ?? null;
    list.stale = true;
    const item = list.items.findIndex((x) => x.id === c.id);
    if (item >= 0) list.items[item] = c;
    if (!opts.stay) this.show(detail, opts.focus);
    if (opts.activities) void this.loadTimeline(false);
    if (c.proposal && c.proposal !== before) this.app.showNotice(c);
  }

  /** Loads the first page of the open contact's timeline (or the next with `more`) and the counts per kind. */
  async loadTimeline(more: boolean): Promise<void> {
    const tl = this.timeline;
    if (!tl) return;
    const current = this.latest.timeline.start();
    tl.loading = true;
    this.timelineView?.update();
    const offset = more ? tl.items.length : 0;
    try {
      const query = { kinds: tl.kind ? [tl.kind] : null, offset, limit: TIMELINE_PAGE };
      const page = await ipc.listActivities(tl.contactId, query);
      if (!current() || this.timeline !== tl) return;
      tl.items = more ? tl.items.concat(page.items) : page.items;
      tl.total = page.total;
      tl.counts = page.kind_counts;
    } catch (e) {
      if (current()) this.app.showError(e);
    } finally {
      if (current()) {
        tl.loading = false;
        this.timelineView?.update();
      }
    }
  }

  setTimelineFilter(kind: ActivityKind | null): void {
    if (!this.timeline) return;
    this.timeline.kind = kind;
    void this.loadTimeline(false);
  }

  async deleteActivity(activityId: string): Promise<void> {
    try {
      const detail = await ipc.deleteActivity(activityId);
      this.changed(detail, { focus: "timeline", activities: true });
    } catch (e) {
      this.app.showError(e);
    }
  }

  /** Accepts a contact's qualification proposal (from its page or from a notice elsewhere). */
  async acceptProposal(id: string): Promise<void> {
    this.app.hideNotice();
    try {
      // From the notice, the user may be on the list or on another contact: stay there.
      const view = this.app.view;
      const stay = !(view.name === "contact" && view.detail.contact.id === id);
      const detail = await ipc.acceptProposal(id);
      this.changed(detail, { focus: "stage-badge", stay });
      if (this.app.view.name === "list") await this.app.reloadList();
    } catch (e) {
      this.app.showError(e);
    }
  }

  async loadTasks(): Promise<void> {
    const ct = this.tasks;
    if (!ct) return;
    const current = this.latest.tasks.start();
    ct.loading = true;
    try {
      const items = await ipc.contactTasks(ct.contactId);
      if (!current() || this.tasks !== ct) return;
      ct.items = contactOrder(items);
    } catch (e) {
      if (current()) this.app.showError(e);
    } finally {
      if (current()) {
        ct.loading = false;
        this.tasksView?.update();
      }
    }
  }

  async loadDeals(): Promise<void> {
    const st = this.deals;
    if (!st) return;
    const current = this.latest.deals.start();
    try {
      const data = await ipc.contactDeals(st.contactId);
      if (!current() || this.deals !== st) return;
      st.data = data;
      this.dealsView?.update();
    } catch (e) {
      if (current()) this.app.showError(e);
    }
  }

  /** After an email was sent or a quote made: the contact's timeline (and score) changed. */
  async activitiesChanged(contactId: string, detail?: ContactDetail): Promise<void> {
    this.app.list.stale = true;
    const view = this.app.view;
    if (view.name !== "contact" || view.detail.contact.id !== contactId) return;
    try {
      this.changed(detail ?? (await ipc.getContact(contactId)), { activities: true });
    } catch (e) {
      this.app.showError(e);
    }
  }
}
