// A tiny element builder. Children that are strings or numbers always become
// text nodes, so user data can never be parsed as HTML. There is no innerHTML
// anywhere in the UI.

export type Child = Node | string | number | null | undefined | false | Child[];

type Handler = (ev: any) => void;
export type Attrs = Record<string, string | number | boolean | null | undefined | Handler>;

/** Properties set directly on the element rather than as attributes. */
const PROPS = new Set(["value", "checked", "disabled", "selected", "hidden", "open"]);

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) {
      if (PROPS.has(key)) (el as any)[key] = false;
      continue;
    }
    if (key.startsWith("on")) {
      if (typeof value !== "function") throw new Error(`event attribute ${key} needs a function`);
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (typeof value === "function") {
      throw new Error(`attribute ${key} cannot be a function`);
    } else if (PROPS.has(key)) {
      (el as any)[key] = value;
    } else if (key === "class") {
      el.className = String(value);
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

/** Appends children; strings and numbers become text nodes. */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces all children of `parent`. */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, children);
}

export function byTestId<T extends HTMLElement = HTMLElement>(root: ParentNode, id: string): T | null {
  return root.querySelector<T>(`[data-testid="${id}"]`);
}

/** True when keyboard focus is in a text entry control, where shortcuts must not fire. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
}

/** Opens a <dialog> modally where supported (jsdom lacks showModal). */
export function openDialog(dialog: HTMLDialogElement): void {
  if (!dialog.isConnected) document.body.appendChild(dialog);
  if (typeof dialog.showModal === "function") {
    try {
      dialog.showModal();
      return;
    } catch {
      /* fall through: not supported in this environment */
    }
  }
  dialog.setAttribute("open", "");
}

/** Closes and removes a dialog; safe to call twice. */
export function closeDialog(dialog: HTMLDialogElement): void {
  if (typeof dialog.close === "function" && dialog.open) {
    try {
      dialog.close();
    } catch {
      /* ignore */
    }
  }
  dialog.removeAttribute("open");
  dialog.remove();
}
