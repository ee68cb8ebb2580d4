// The import wizard as its steps see it: the chosen file, the options, the
// preview, and what a step may trigger. `ImportWizard` (wizard.ts)
// implements it; the steps (choose, preview, progress, report) never import
// the wizard.
import type { ChosenFile } from "../../bindings/ChosenFile";
import type { ImportOptions } from "../../bindings/ImportOptions";
import type { ImportPreview } from "../../bindings/ImportPreview";
import type { Shell } from "../../shell";

export type Step = "choose" | "preview" | "running" | "report";

export interface Wizard {
  readonly app: Shell;
  readonly dialog: HTMLDialogElement;
  readonly file: ChosenFile | null;
  /** Changed by the preview step; the next preview and the import use them. */
  readonly options: ImportOptions;
  readonly preview: ImportPreview | null;
  /** A preview is being read. */
  readonly loading: boolean;
  /** Asks the native dialog for a file, then previews it. */
  choose(): Promise<void>;
  /** Reads the preview again (after the options changed). */
  loadPreview(): Promise<void>;
  render(): void;
  /** Focuses the element with this data-testid. */
  focus(testid: string): void;
}
