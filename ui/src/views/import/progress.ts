// Step 3: the bar fed by the backend's import-progress event, and Cancel.
import type { ImportProgress } from "../../bindings/ImportProgress";
import { h, type Child } from "../../dom";
import { formatNumber, t } from "../../i18n";

export class ProgressStep {
  private progress: ImportProgress = { done: 0, total: 0 };
  private cancelling = false;
  private readonly bar = h("progress", { "data-testid": "import-progress-bar", max: 1, value: 0 });
  private readonly text = h("p", { class: "muted", "data-testid": "import-progress-text", "aria-live": "polite" });

  constructor(private readonly dialog: HTMLElement) {}

  /** A new run of `total` records. */
  begin(total: number): void {
    this.progress = { done: 0, total };
    this.cancelling = false;
  }

  /** Whether Cancel was pressed in this run. */
  get cancelled(): boolean {
    return this.cancelling;
  }

  /** Marks the run as cancelling; false when it already was. */
  cancel(): boolean {
    if (this.cancelling) return false;
    this.cancelling = true;
    this.update();
    return true;
  }

  set(progress: ImportProgress): void {
    this.progress = progress;
    this.update();
  }

  /** Brings the bar, its text and the Cancel button up to date. */
  private update(): void {
    const { done, total } = this.progress;
    this.bar.max = Math.max(1, total);
    this.bar.value = done;
    this.text.textContent = t("import.progress", { done: formatNumber(done), total: formatNumber(total) });
    const cancel = this.dialog.querySelector<HTMLButtonElement>('[data-testid="import-cancel"]');
    if (cancel) {
      cancel.disabled = this.cancelling;
      cancel.textContent = this.cancelling ? t("import.cancelling") : t("import.cancel");
    }
  }

  render(fileName: string): Child[] {
    this.update();
    return [h("div", { class: "import-running", "data-testid": "import-progress" },
      h("p", null, t("import.running", { name: fileName })), this.bar, this.text)];
  }
}
