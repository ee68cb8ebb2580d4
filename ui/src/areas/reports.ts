// The reports view: the period (a preset or chosen days) and every report for it.
import type { Period } from "../bindings/Period";
import { byTestId } from "../dom";
import * as ipc from "../ipc";
import { Latest } from "../latest";
import { presetPeriod, type PeriodPreset } from "../periods";
import type { ReportsState } from "../shell";
import { clock } from "../tasks";
import { ReportsView } from "../views/reports";
import type { Hub } from "./hub";

export class ReportsArea {
  state: ReportsState = { period: { from: null, to: null }, preset: null, data: {}, names: {}, loading: false };
  view: ReportsView | null = null;
  private readonly latest = new Latest();

  constructor(private readonly app: Hub) {}

  mount(): ReportsView {
    this.view = new ReportsView(this.app);
    return this.view;
  }

  /** The "Reports" nav item (the first time: this year). */
  async show(): Promise<void> {
    const app = this.app;
    app.clearError();
    if (!this.state.preset && !this.state.period.from && !this.state.period.to) this.setPreset("year", false);
    app.view = { name: "reports" };
    app.origin = "reports";
    app.render();
    byTestId<HTMLElement>(app.main, "reports-heading")?.focus();
    await this.reload();
  }

  setPreset(preset: PeriodPreset, reload = true): void {
    this.state.preset = preset;
    this.state.period = presetPeriod(preset, clock.now());
    if (reload) void this.reload();
  }

  setPeriod(period: Period): void {
    this.state.preset = null;
    this.state.period = period;
    void this.reload();
  }

  async reload(): Promise<void> {
    const current = this.latest.start();
    const r = this.state;
    const period = { ...r.period };
    r.loading = true;
    this.view?.update();
    try {
      const [funnel, conversion, pipeline, activities, sources, overdue] = await Promise.all([
        ipc.report("funnel", period), ipc.report("conversion", period), ipc.report("pipeline", period),
        ipc.report("activities", period), ipc.report("sources", period), ipc.report("overdue", period),
      ]);
      const ids = [...new Set(overdue.tasks.map((x) => x.contact_id).filter((x): x is string => !!x && !(x in r.names)))];
      const found = await Promise.all(ids.slice(0, 50).map((id) => ipc.getContact(id).then((d) => d.contact.display_name).catch(() => null)));
      if (!current()) return;
      ids.forEach((id, i) => { if (found[i]) r.names[id] = found[i]!; });
      r.data = { funnel, conversion, pipeline, activities, sources, overdue };
    } catch (e) {
      if (current()) {
        r.data = {};
        this.app.showError(e);
      }
    } finally {
      if (current()) {
        r.loading = false;
        this.view?.update();
      }
    }
  }
}
