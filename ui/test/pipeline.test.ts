import { afterEach, describe, expect, it } from "vitest";
import { $, $$, key, maybe, start, stop, type, until } from "./helpers";
import type { LiveBackend, Seeded } from "./live";

afterEach(stop);

const lastCall = (b: LiveBackend, cmd: string) => b.calls.filter((c) => c.cmd === cmd).at(-1)?.args;
const column = (stage: string) => document.querySelector<HTMLElement>(`[data-testid="pipeline-column"][data-stage="${stage}"]`)!;
const card = (id: string) => document.querySelector<HTMLElement>(`[data-testid="deal-card"][data-deal-id="${id}"]`)!;
const cardsIn = (stage: string) => $$("deal-card", column(stage)).map((c) => $("deal-title-text", c).textContent);

/** The deals seeded: "d-1" is Anna's, "d-2" Bernd's. */
const seeded: Record<string, Seeded> = {};
const id = (key: string) => seeded[key].id;

/** Anna (opportunity) with an open deal in qualification; Bernd (opportunity) with a deal in negotiation; both 20 days old. */
function seed(b: LiveBackend, language: "de" | "en" = "en") {
  b.settings.language = language;
  const anna = b.add({ first_name: "Anna", last_name: "Schmidt", organization: "Müller AG", emails: ["anna@mueller.de"] });
  const bernd = b.add({ first_name: "Bernd", last_name: "Becker" });
  b.back(20, () => {
    const deal = (key: string, contact: Seeded, title: string, stage: string, value: number, extra: object = {}) => {
      seeded[key] = b.addDeal({ contact_id: contact.id, title, value, stage, close_date: "2025-04-30", next_step: "Demo vereinbaren", ...extra });
    };
    deal("d-1", anna, "Wartungsvertrag", "qualification", 12000);
    deal("d-2", bernd, "Kassensystem", "negotiation", 8000, { next_step: null, currency: "CHF" });
  });
  return { anna, bernd };
}

/** A seeded contact as the core has it now. */
const contact = async (b: LiveBackend, i: number) => (await b.call("get_contact", { id: b.contacts[i].id })).contact;

async function openBoard() {
  $("nav-pipeline").click();
  await until(() => maybe("pipeline-board"));
}

/** A pointer event as a mouse, pen or finger sends it (jsdom has no PointerEvent: a MouseEvent with its fields). */
function pointer(type: string, target: EventTarget, x: number, y: number) {
  const ev = new MouseEvent(type, { bubbles: true, cancelable: true, clientX: x, clientY: y, button: 0 });
  Object.defineProperties(ev, { pointerId: { value: 1 }, isPrimary: { value: true }, pointerType: { value: "touch" } });
  target.dispatchEvent(ev);
}

/** Text as shown, with Intl's non-breaking spaces as plain ones. */
const text = (el: Element) => (el.textContent ?? "").replace(/[\u00a0\u202f]/g, " ");

describe("pipeline board", () => {
  it("shows one column per stage with count, total and weighted total, and cards with their markers", async () => {
    await start((b) => seed(b));
    await openBoard();
    expect($$("pipeline-column").map((c) => c.dataset.stage)).toEqual(["qualification", "needs_analysis", "proposal", "negotiation", "won", "lost"]);
    expect($("column-name", column("needs_analysis")).textContent).toBe("Needs analysis");
    expect($("column-count", column("qualification")).textContent).toBe("1");
    expect(text($("column-total", column("qualification")))).toBe("€12,000.00");
    expect(text($("column-weighted", column("qualification")))).toContain("€1,200.00");
    expect(text($("column-weighted", column("negotiation")))).toContain("CHF 6,000.00");
    expect(text($("pipeline-total"))).toBe("CHF 8,000.00 · €12,000.00");
    const c = card(id("d-1"));
    expect(c.textContent).toContain("Anna Schmidt");
    expect(text($("deal-close-text", c))).toBe("Apr 30, 2025");
    expect($("deal-next-step-text", c).textContent).toContain("Demo vereinbaren");
    expect(maybe("marker-no-next-step")).toBe($("marker-no-next-step", card(id("d-2"))));
    // 20 days idle > 14 rotting days of qualification
    expect(text($("marker-rotting", c))).toContain("20 days without activity");
  });

  it("moves a card by pointer drag; the contact becomes a customer when won, and the rule's task is toasted", async () => {
    const { backend } = await start((b) => seed(b));
    await openBoard();
    const c = card(id("d-1"));
    pointer("pointerdown", c, 10, 10);
    pointer("pointermove", c, 40, 10);
    pointer("pointermove", column("won"), 400, 20);
    expect(column("won").classList.contains("drop-target")).toBe(true);
    expect(document.querySelector(".drag-ghost")).not.toBeNull();
    pointer("pointerup", column("won"), 400, 20);
    await until(() => cardsIn("won").includes("Wartungsvertrag") && $("pipeline-live").textContent);
    expect(document.querySelector(".drag-ghost")).toBeNull();
    expect(lastCall(backend, "move_deal")).toEqual({ id: id("d-1"), stage: "won", reason: null });
    expect((await contact(backend, 0)).stage).toBe("customer");
    // the shipped rule "deal won → ask for a referral in 14 days" (in the UI language)
    await until(() => maybe("automation-toast"));
    expect(text($("automation-toast"))).toContain("Task created: Ask for a referral: Anna Schmidt (due Fri, Mar 28)");
    expect((await backend.tasks()).some((x) => x.title === "Ask for a referral: Anna Schmidt" && x.contact_id === backend.contacts[0].id)).toBe(true);
    expect($("pipeline-live").textContent).toBe("“Wartungsvertrag” moved to Won.");
  });

  it("moves a focused card with Shift+→ / Shift+← and announces it; Enter opens the deal", async () => {
    const { backend } = await start((b) => seed(b, "de"));
    await openBoard();
    card(id("d-1")).focus();
    key("ArrowRight", card(id("d-1")), { shiftKey: true });
    await until(() => cardsIn("needs_analysis").includes("Wartungsvertrag"));
    expect(lastCall(backend, "move_deal")).toEqual({ id: id("d-1"), stage: "needs_analysis", reason: null });
    await until(() => $("pipeline-live").textContent === "„Wartungsvertrag“ in Bedarfsanalyse verschoben.");
    expect(document.activeElement).toBe(card(id("d-1")));
    // the probability follows the new stage: 25 % of 12.000 €
    expect(text($("column-weighted", column("needs_analysis")))).toContain("3.000,00 €");
    key("ArrowLeft", card(id("d-1")), { shiftKey: true });
    await until(() => cardsIn("qualification").includes("Wartungsvertrag"));
    key("Enter", card(id("d-1")));
    await until(() => maybe("deal-dialog"));
    expect(($("deal-title") as HTMLInputElement).value).toBe("Wartungsvertrag");
    expect($("deal-contact-name").textContent).toBe("Anna Schmidt");
  });

  it("asks for the reason before moving to lost; the contact returns to prospect when its last open deal is lost", async () => {
    const { backend } = await start((b) => void seed(b));
    // Bernd is an opportunity through his one open deal
    expect((await contact(backend, 1)).stage).toBe("opportunity");
    await openBoard();
    key("ArrowRight", card(id("d-2")), { shiftKey: true }); // negotiation → won
    await until(() => cardsIn("won").includes("Kassensystem"));
    expect((await contact(backend, 1)).stage).toBe("customer");
    // now drag Anna's deal to lost: a dialog asks why, nothing moves yet
    pointer("pointerdown", card(id("d-1")), 10, 10);
    pointer("pointermove", column("lost"), 600, 10);
    pointer("pointerup", column("lost"), 600, 10);
    await until(() => maybe("lost-dialog"));
    expect(backend.calls.some((c) => c.cmd === "move_deal" && c.args.stage === "lost")).toBe(false);
    expect($("lost-dialog").textContent).toContain("Mark “Wartungsvertrag” as lost");
    $("lost-confirm").click();
    expect($("field-error", $("lost-dialog")).textContent).toBe("Please give a reason.");
    type($("lost-reason"), "Budget gestrichen");
    $("lost-confirm").click();
    await until(() => cardsIn("lost").includes("Wartungsvertrag"));
    expect(maybe("lost-dialog")).toBeNull();
    expect(lastCall(backend, "move_deal")).toEqual({ id: id("d-1"), stage: "lost", reason: "Budget gestrichen" });
    expect((await contact(backend, 0)).stage).toBe("prospect");
    expect((await contact(backend, 0)).stage_history.at(-1)).toMatchObject({ from: "opportunity", to: "prospect", by: "rule" });
  });

  it("shows the backend's reason_required in the lost dialog", async () => {
    await start((b) => seed(b), (b) => (cmd, args) => {
      if (cmd === "move_deal") throw { code: "reason_required", message: "reason", field: "reason", from: null, to: null };
      return b.handle(cmd, args);
    });
    await openBoard();
    pointer("pointerdown", card(id("d-1")), 10, 10);
    pointer("pointermove", column("lost"), 600, 10);
    pointer("pointerup", column("lost"), 600, 10);
    await until(() => maybe("lost-dialog"));
    type($("lost-reason"), "x");
    $("lost-confirm").click();
    await until(() => maybe("error-message"));
    expect($("error-message").textContent).toBe("Please give a reason.");
    expect(cardsIn("qualification")).toEqual(["Wartungsvertrag"]);
  });

  it("has G P / G R shortcuts next to G C / G T", async () => {
    await start((b) => seed(b));
    key("g");
    key("p");
    await until(() => maybe("pipeline-board"));
    expect($("nav-pipeline").getAttribute("aria-current")).toBe("page");
    key("g");
    key("r");
    await until(() => maybe("reports-view"));
    expect($("nav-reports").getAttribute("aria-current")).toBe("page");
    key("d");
    await until(() => maybe("deal-dialog"));
  });
});
