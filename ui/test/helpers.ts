import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { vi } from "vitest";
import { App } from "../src/app";
import { clock } from "../src/tasks";
import { LiveBackend } from "./live";

export { LiveBackend };

/** The app and the real commands it runs on (see live.ts). */
export interface Harness {
  app: App;
  backend: LiveBackend;
  root: HTMLElement;
}

let current: { app: App } | null = null;

/** The window's scroll position (jsdom does not lay out or scroll): what the app set, or a test. */
export const scroll = { y: 0 };
let live: LiveBackend | null = null;

/** Starts the real App against the app's real commands (a backend process with its own store), its clock the backend's. */
export async function start(
  prepare: (b: LiveBackend) => void = () => {},
  handler?: (b: LiveBackend) => (cmd: string, args: any) => unknown,
): Promise<Harness> {
  const backend = new LiveBackend();
  live = backend;
  await backend.loadSettings();
  prepare(backend);
  await backend.prepare();
  mockIPC(handler ? handler(backend) : backend.handle, { shouldMockEvents: true });
  scroll.y = 0;
  window.scrollTo = ((x: number | ScrollToOptions, y?: number) => {
    scroll.y = typeof x === "number" ? y ?? 0 : x.top ?? scroll.y;
  }) as typeof window.scrollTo;
  Object.defineProperty(window, "scrollY", { configurable: true, get: () => scroll.y });
  // The UI measures "today" and "overdue" against the backend's clock.
  clock.now = () => new Date(backend.now);
  document.body.replaceChildren();
  const root = document.createElement("div");
  root.id = "app";
  document.body.appendChild(root);
  const app = new App(root);
  await app.start();
  current = { app };
  return { app, backend, root };
}

export function stop(): void {
  current?.app.stop();
  current = null;
  live?.stop();
  live = null;
  clock.now = () => new Date();
  clearMocks();
  document.body.replaceChildren();
}

export function $(id: string, root: ParentNode = document): HTMLElement {
  const el = root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no element with data-testid=${id}`);
  return el;
}

export function $$(id: string, root: ParentNode = document): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));
}

export const maybe = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);

export function until<T>(fn: () => T): Promise<T> {
  return vi.waitFor(() => {
    const v = fn();
    if (v === null || v === undefined || v === false) throw new Error("not yet");
    return v;
  }, { timeout: 15_000, interval: 5 });
}

export function type(el: HTMLElement, value: string): void {
  (el as HTMLInputElement).value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

export function select(el: HTMLElement, value: string): void {
  (el as HTMLSelectElement).value = value;
  el.dispatchEvent(new Event("change", { bubbles: true }));
}

export function key(k: string, target: EventTarget = document.body, init: KeyboardEventInit = {}): KeyboardEvent {
  const ev = new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(ev);
  return ev;
}

export function chipCount(stage: string): string {
  return $("chip-count", $(`stage-chip-${stage}`)).textContent ?? "";
}

export function names(): string[] {
  return $$("row-name").map((el) => el.textContent ?? "");
}
