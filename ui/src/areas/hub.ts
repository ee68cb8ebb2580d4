// What an area (areas/*.ts) may ask of the application besides what the
// views may (`Shell`): the main element, a full render, and the other
// areas' loads it triggers. `App` (app.ts) implements it and owns the
// areas; an area never imports app.ts or another area.
import type { Contact } from "../bindings/Contact";
import type { ContactDetail } from "../bindings/ContactDetail";
import type { OpenDialog, Place, Shell } from "../shell";

export interface Hub extends Shell {
  /** Where the current view is rendered. */
  readonly main: HTMLElement;
  /** The top-level place shown (a contact page: where it was opened from). */
  readonly place: Place;
  /** The open modal dialog, if any. */
  readonly dialog: OpenDialog | null;
  /** Rebuilds the whole visible UI from state. */
  render(): void;
  showContact(detail: ContactDetail, focus?: string): void;
  /** The command palette (Ctrl+K). */
  openPalette(): void;
  reloadList(): Promise<void>;
  refreshCounts(): Promise<void>;
  loadContactTasks(): Promise<void>;
  loadContactDeals(): Promise<void>;
  reloadPipeline(): Promise<void>;
  reloadReports(): Promise<void>;
  showNotice(c: Contact): void;
  showReadyNotice(n: number): void;
  hideNotice(): void;
  /** Redraws the Tasks nav badge from the task counts. */
  updateBadge(): void;
  /** The list on screen, for ↑/↓ (null elsewhere). */
  readonly listView: { moveFocus(step: number): void; clearSelection(): boolean } | null;
}
