// The settings dialog as its sections see it: the draft they edit, the
// defaults they show, the problems found at the last save, a re-render.
import type { Shell } from "../../shell";
import type { Draft } from "./draft";

export interface SettingsForm {
  readonly app: Shell;
  readonly dialog: HTMLDialogElement;
  readonly draft: Draft;
  readonly defaults: Draft;
  /** Problems of the last save, by the field's test id. */
  readonly problems: readonly { testid: string; text: string }[];
  render(): void;
}
