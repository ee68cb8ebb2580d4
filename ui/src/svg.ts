// A tiny SVG element builder in the style of dom.ts's `h()`: elements come from
// createElementNS, attributes are set one by one, and strings always become
// text nodes (user data such as lead sources is never parsed as markup).
import { append, type Child } from "./dom";

export const SVG_NS = "http://www.w3.org/2000/svg";

export type SvgAttrs = Record<string, string | number | null | undefined | false>;

export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: SvgAttrs | null = null, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.setAttribute("class", String(value));
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

/** A `<title>` child: the accessible name and the tooltip of a chart element. */
export function title(text: string): SVGTitleElement {
  return s("title", null, text);
}

/** An `<svg>` chart root with a viewBox, labelled for screen readers. */
export function chart(width: number, height: number, label: string, ...children: Child[]): SVGSVGElement {
  return s("svg", {
    class: "chart", viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", "aria-label": label,
    preserveAspectRatio: "xMinYMin meet",
  }, title(label), ...children);
}
