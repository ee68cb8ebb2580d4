// Deals: the pipeline board, a deal's dialog and moves between stages (lost
// asks for the reason), and what a saved deal changes elsewhere.
import type { ContactDetail } from "../bindings/ContactDetail";
import type { Deal } from "../bindings/Deal";
import { byTestId } from "../dom";
import { dealErrorText, dealStageName, t } from "../i18n";
import * as ipc from "../ipc";
import { AppError } from "../ipc";
import { Latest } from "../latest";
import type { DealContact, PipelineState } from "../shell";
import { dealDialog } from "../views/deal/dialog";
import { lostDialog } from "../views/deal/lost";
import { emailDialog } from "../views/emailDialog";
import { PipelineView } from "../views/pipeline";
import type { Hub } from "./hub";

export class PipelineArea {
  state: PipelineState = { data: null, loading: false };
  view: PipelineView | null = null;
  private readonly latest = new Latest();

  constructor(private readonly app: Hub) {}

  mount(): PipelineView {
    this.view = new PipelineView(this.app);
    return this.view;
  }

  unmount(): void {
    this.view?.cancelDrag();
    this.view = null;
  }

  /** The "Pipeline" nav item: shows the board and loads it. */
  async show(): Promise<void> {
    const app = this.app;
    app.clearError();
    app.view = { name: "pipeline" };
    app.origin = "pipeline";
    app.render();
    byTestId<HTMLElement>(app.main, "pipeline-heading")?.focus();
    await this.reload();
  }

  async reload(): Promise<void> {
    const current = this.latest.start();
    this.state.loading = true;
    try {
      const data = await ipc.pipeline();
      if (!current()) return;
      this.state.data = data;
    } catch (e) {
      if (current()) this.app.showError(e);
    } finally {
      if (current()) {
        this.state.loading = false;
        this.view?.update();
      }
    }
  }

  /** A contact's name as some view on hand knows it (the open page, the board, the list). */
  private nameOf(contactId: string): string | null {
    const view = this.app.view;
    if (view.name === "contact" && view.detail.contact.id === contactId) return view.detail.contact.display_name;
    return this.state.data?.columns.flatMap((c) => c.deals).find((c) => c.deal.contact_id === contactId)?.contact_name
      ?? this.app.list.items.find((c) => c.id === contactId)?.display_name ?? null;
  }

  /** The deal dialog: a new deal (for `contact` when given) or `deal` (fetched fresh by `open`). */
  openDialog(deal: Deal | null, contact: DealContact | null = null): void {
    if (deal) dealDialog(this.app, deal, { id: deal.contact_id, name: this.nameOf(deal.contact_id) ?? "—" });
    else dealDialog(this.app, null, contact);
  }

  /** Opens a saved deal's dialog with its current data. */
  async open(id: string): Promise<void> {
    try {
      this.openDialog(await ipc.getDeal(id));
    } catch (e) {
      this.app.showError(e);
    }
  }

  /**
   * Moves a deal to another stage (board drag or keys). The lost stage asks
   * for the reason first. Rule outcomes arrive as the `automation` event.
   */
  async move(id: string, stage: string, reason: string | null = null): Promise<void> {
    const card = this.state.data?.columns.flatMap((c) => c.deals).find((c) => c.deal.id === id);
    const outcome = this.app.settings.deal_stages.find((s) => s.key === stage)?.outcome
      ?? this.state.data?.columns.find((c) => c.stage.key === stage)?.stage.outcome;
    if (outcome === "lost" && reason === null) {
      lostDialog(this.app, card?.deal.title ?? "", async (why) => {
        try {
          await this.applyMove(id, stage, why);
          this.app.closeModal();
          this.view?.focusCard(id);
          return null;
        } catch (e) {
          return AppError.from(e);
        }
      });
      return;
    }
    try {
      await this.applyMove(id, stage, reason);
      this.view?.focusCard(id);
    } catch (e) {
      const err = AppError.from(e);
      this.app.showError(err, undefined, dealErrorText(err));
    }
  }

  private async applyMove(id: string, stage: string, reason: string | null): Promise<void> {
    const saved = await ipc.moveDeal(id, stage, reason);
    const text = t("pipeline.moved", { title: saved.deal.title, stage: dealStageName(this.app.settings.deal_stages, saved.deal.stage) });
    await this.changed(saved.contact);
    this.view?.announce(text);
  }

  /**
   * After a deal was saved, moved or deleted: the contact's stage may have
   * changed (coupling), so the list is stale; the board, the open contact and
   * its deals reload, and tasks (rules may have made some).
   */
  async changed(contact: ContactDetail | null): Promise<void> {
    const app = this.app;
    app.list.stale = true;
    const jobs: Promise<void>[] = [app.refreshTasks()];
    if (contact) {
      const i = app.list.items.findIndex((x) => x.id === contact.contact.id);
      if (i >= 0) app.list.items[i] = contact.contact;
    }
    if (app.view.name === "pipeline") jobs.push(this.reload());
    if (app.view.name === "contact") {
      const open = app.view.detail.contact.id;
      if (contact && contact.contact.id === open) {
        app.view = { name: "contact", detail: contact };
        app.render();
      }
      jobs.push(app.loadContactDeals(), app.loadTimeline(false));
    }
    if (app.view.name === "reports") jobs.push(app.reloadReports());
    await Promise.all(jobs);
  }

  /** The follow-up email dialog for a contact (and deal). */
  openEmail(contactId: string, dealId: string | null): void {
    emailDialog(this.app, contactId, this.nameOf(contactId) ?? "", dealId);
  }
}
