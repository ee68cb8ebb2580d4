// The import wizard (a large dialog) in four steps: 1 choose a file (the
// backend opens the native dialog), 2 preview (preview.ts), 3 progress with
// Cancel (progress.ts), 4 the report (report.ts). Nothing is written before
// the rep starts the import in step 2. This file holds the state and the
// moves between the steps.
import type { ChosenFile } from "../../bindings/ChosenFile";
import type { ImportOptions } from "../../bindings/ImportOptions";
import type { ImportPreview } from "../../bindings/ImportPreview";
import type { ImportReport } from "../../bindings/ImportReport";
import { h, replace, type Child } from "../../dom";
import { plural, t, type MessageKey } from "../../i18n";
import * as ipc from "../../ipc";
import { Latest } from "../../latest";
import type { Shell } from "../../shell";
import { button } from "../common";
import { chooseStep } from "./choose";
import type { Step, Wizard } from "./model";
import { previewStep } from "./preview";
import { ProgressStep } from "./progress";
import { reportStep } from "./report";

const STEPS: [Step, MessageKey][] = [
  ["choose", "import.step_choose"], ["preview", "import.step_preview"], ["running", "import.step_run"], ["report", "import.step_report"],
];

/** Opens the import wizard. */
export function importWizard(app: Shell): void {
  new ImportWizard(app).open();
}

class ImportWizard implements Wizard {
  readonly dialog = h("dialog", { class: "dialog wide import-dialog", "data-testid": "import-dialog", "aria-labelledby": "import-title" });
  readonly options: ImportOptions = {
    format: "auto", preset: "auto", mapping: null, source: null, merge_duplicates: true, possible_duplicates: "new", choices: [],
  };
  file: ChosenFile | null = null;
  preview: ImportPreview | null = null;
  loading = false;
  private step: Step = "choose";
  private report: ImportReport | null = null;
  private readonly progress = new ProgressStep(this.dialog);
  private readonly errors = h("div", { class: "error-slot", "data-slot": "import" });
  private readonly latest = new Latest();
  /** Something was written: the list must be refreshed when the wizard closes. */
  private wrote = false;
  private closed = false;

  constructor(readonly app: Shell) {}

  open(): void {
    this.render();
    this.app.openModal(this.dialog, () => this.render(), () => {
      this.closed = true;
      if (this.step === "running") void ipc.cancelImport().catch(() => {});
      if (this.wrote) void this.app.dataChanged();
    });
    this.focus("import-choose");
  }

  focus(testid: string): void {
    this.dialog.querySelector<HTMLElement>(`[data-testid="${testid}"]`)?.focus();
  }

  async loadPreview(): Promise<void> {
    const current = this.latest.start();
    this.loading = true;
    this.render();
    try {
      const p = await ipc.importPreview({ ...this.options });
      if (!current()) return;
      this.preview = p;
      if (this.options.source === null) this.options.source = p.source;
      this.app.clearError();
    } catch (e) {
      if (current()) this.app.showError(e, this.errors);
    } finally {
      if (current()) {
        this.loading = false;
        this.render();
      }
    }
  }

  async choose(): Promise<void> {
    try {
      const chosen = await ipc.chooseImportFile();
      if (!chosen) return; // the rep cancelled the native dialog
      this.file = chosen;
      Object.assign(this.options, { format: "auto", preset: "auto", mapping: null, source: null, choices: [] });
      this.preview = null;
      this.step = "preview";
      await this.loadPreview();
      this.focus(this.preview ? "import-run" : "import-choose");
    } catch (e) {
      this.app.showError(e, this.errors);
    }
  }

  private async run(): Promise<void> {
    if (!this.preview || this.loading) return;
    this.step = "running";
    this.progress.begin(this.preview.total);
    this.render();
    this.focus("import-cancel");
    try {
      this.report = await ipc.importRun({ ...this.options }, (p) => this.progress.set(p));
      this.wrote = true;
      if (this.closed) return void this.app.dataChanged();
      this.step = "report";
      this.render();
      this.focus("import-done");
    } catch (e) {
      this.wrote = true; // records before the failure may be stored
      this.step = "preview";
      this.render();
      this.app.showError(e, this.errors);
    }
  }

  private async cancel(): Promise<void> {
    if (!this.progress.cancel()) return;
    try {
      await ipc.cancelImport();
    } catch (e) {
      this.app.showError(e, this.errors);
    }
  }

  private body(): Child[] {
    switch (this.step) {
      case "choose": return chooseStep(this);
      case "preview": return previewStep(this);
      case "running": return this.progress.render(this.file?.name ?? "");
      case "report": return reportStep(this.app, this.report!);
    }
  }

  private footer(): Child[] {
    if (this.step === "running") return [button(t("import.cancel"), { testid: "import-cancel", onclick: () => void this.cancel() })];
    if (this.step === "report") {
      return [button(t("import.done"), { testid: "import-done", kind: "primary", onclick: () => this.app.closeModal() })];
    }
    const close = button(t("action.cancel"), { testid: "cancel", onclick: () => this.app.dismissModal() });
    if (this.step === "choose" || !this.preview) return [close];
    const n = this.preview.total - this.preview.rejected;
    return [close, h("button", {
      type: "button", class: "btn btn-primary", "data-testid": "import-run", disabled: this.loading || n === 0,
      onclick: () => void this.run(),
    }, plural("import.run", n))];
  }

  render(): void {
    const at = STEPS.findIndex(([s]) => s === this.step);
    replace(
      this.dialog,
      h(
        "div",
        { class: "dialog-form" },
        h("h2", { id: "import-title" }, t("import.title")),
        h("ol", { class: "wizard-steps", "aria-label": t("import.steps") }, STEPS.map(([, key], i) =>
          h("li", { class: i === at ? "active" : i < at ? "done" : "", "aria-current": i === at ? "step" : null }, t(key)))),
        this.body(),
        this.errors,
        h("footer", { class: "dialog-actions" }, this.footer()),
      ),
    );
  }
}
