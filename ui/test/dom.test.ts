import { describe, expect, it } from "vitest";
import { h, replace } from "../src/dom";

const XSS = "<img src=x onerror=alert(1)>";

describe("dom.h", () => {
  it("renders string children as text, never as markup", () => {
    const el = h("div", null, XSS, h("span", null, XSS), 42);
    expect(el.textContent).toBe(`${XSS}${XSS}42`);
    expect(el.querySelector("img")).toBeNull();
    expect(el.childNodes[0].nodeType).toBe(Node.TEXT_NODE);
  });

  it("sets attributes, properties and listeners", () => {
    let clicked = 0;
    const el = h("input", { "data-testid": "x", value: "v", disabled: true, onclick: () => clicked++ });
    expect(el.getAttribute("data-testid")).toBe("x");
    expect(el.value).toBe("v");
    expect(el.disabled).toBe(true);
    el.dispatchEvent(new MouseEvent("click"));
    expect(clicked).toBe(1);
  });

  it("refuses inline event handler strings", () => {
    expect(() => h("div", { onclick: "alert(1)" as any })).toThrow();
  });

  it("skips null/false children and flattens arrays; replace swaps children", () => {
    const el = h("ul", null, [h("li", null, "a"), null, false, [h("li", null, "b")]]);
    expect(el.children.length).toBe(2);
    replace(el, "only text");
    expect(el.children.length).toBe(0);
    expect(el.textContent).toBe("only text");
  });
});
