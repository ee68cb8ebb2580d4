import { afterEach, describe, expect, it, vi } from "vitest";
import { $, $$, chipCount, key, maybe, names, select, start, stop, type, until } from "./helpers";
import type { LiveBackend, Seeded } from "./live";
import { NOTICE_MS } from "../src/shell";

afterEach(() => {
  vi.useRealTimers();
  stop();
});

// Against the app's real commands (live.ts): what a score, a proposal or a
// threshold does here is the core's rule, not a copy of it.

/** Anna: a lead at Müller AG with a few activities; the backend's clock is 2025-03-14 09:30 UTC. */
function seed(b: LiveBackend, language: "de" | "en" = "en"): Seeded {
  b.settings.language = language;
  const c = b.add({ first_name: "Anna", last_name: "Schmidt", organization: "Müller AG", stage: "lead" });
  b.log(c, "webinar_attended", 3, { summary: "Webinar Wartung" });
  b.log(c, "call", 10, { summary: "Erstgespräch", outcome: "Termin vereinbart", concerns: "Datenschutz?", text: "Drei Standorte" });
  b.setCriteria(c, { authority: "yes" });
  return c;
}

async function openFirst() {
  $("contact-row").click();
  await until(() => maybe("contact-page"));
  await until(() => $$("timeline-entry").length > 0 || maybe("timeline")?.textContent?.includes("No activities"));
}

const lastCall = (b: LiveBackend, cmd: string) => b.calls.filter((c) => c.cmd === cmd).at(-1)?.args;
/** The last timeline page request (the per-kind count requests use limit 1). */
const lastPage = (b: LiveBackend) => b.calls.filter((c) => c.cmd === "list_activities" && c.args.query.limit === 50).at(-1)?.args;

describe("timeline", () => {
  it("shows entries newest first with kind, summary, text, outcome and labelled concerns", async () => {
    await start((b) => seed(b));
    await openFirst();
    const entries = $$("timeline-entry");
    expect(entries.map((e) => e.dataset.kind)).toEqual(["webinar_attended", "call"]);
    const call = entries[1].textContent!;
    for (const text of ["Call", "Erstgespräch", "Drei Standorte", "Outcome", "Termin vereinbart", "Questions/concerns", "Datenschutz?", "Mar 4, 2025"]) {
      expect(call).toContain(text);
    }
  });

  it("labels concerns in German", async () => {
    await start((b) => seed(b, "de"));
    await openFirst();
    expect($$("timeline-entry")[1].textContent).toContain("Fragen/Bedenken");
    expect($$("timeline-entry")[1].textContent).toContain("Anruf");
  });

  it("pages 50 at a time and filters by kind (chips only for kinds present)", async () => {
    const { backend } = await start((b) => {
      const c = seed(b);
      for (let i = 0; i < 60; i++) b.log(c, i % 2 ? "email" : "visit", 20 + i);
    });
    await openFirst();
    expect($$("timeline-entry")).toHaveLength(50);
    const first = backend.calls.find((c) => c.cmd === "list_activities" && c.args.query.kinds === null)!;
    expect(first.args.query).toEqual({ kinds: null, offset: 0, limit: 50 });
    expect(maybe("timeline-filter-all")).not.toBeNull();
    expect(maybe("timeline-filter-email")).not.toBeNull();
    expect(maybe("timeline-filter-meeting")).toBeNull();
    $("timeline-load-more").click();
    await until(() => $$("timeline-entry").length === 62);
    expect(lastPage(backend).query).toEqual({ kinds: null, offset: 50, limit: 50 });
    expect(maybe("timeline-load-more")).toBeNull();
    // dates strictly newest first across pages
    const ats = $$("timeline-entry").map((e) => e.querySelector("time")!.getAttribute("datetime")!);
    expect([...ats].sort().reverse()).toEqual(ats);

    $("timeline-filter-email").click();
    await until(() => $$("timeline-entry").length === 30);
    expect($$("timeline-entry").every((e) => e.dataset.kind === "email")).toBe(true);
    expect(lastPage(backend).query).toEqual({ kinds: ["email"], offset: 0, limit: 50 });
    expect($("timeline-filter-email").getAttribute("aria-pressed")).toBe("true");
    $("timeline-filter-all").click();
    await until(() => $$("timeline-entry").length === 50);
  });

  it("quick-logs a call with the c shortcut, not while typing, and refreshes score and timeline", async () => {
    let anna!: Seeded;
    const { backend } = await start((b) => { anna = seed(b); });
    await openFirst();
    const before = Number($("score-total").textContent);
    const summary = () => maybe("activity-summary");
    // not while typing in a field
    const input = document.createElement("input");
    $("contact-page").appendChild(input);
    input.focus();
    expect(key("c", input).defaultPrevented).toBe(false);
    expect(maybe("activity-dialog")).toBeNull();
    input.remove();
    key("c");
    expect(maybe("activity-dialog")).not.toBeNull();
    expect(($("activity-kind") as HTMLSelectElement).value).toBe("call");
    expect(document.activeElement).toBe(summary());
    type($("activity-summary"), "Rückruf");
    $("activity-save").click();
    await until(() => $$("timeline-entry").length === 3);
    // A call logged: the dialog offers the next step; the rep declines.
    await until(() => maybe("next-step"));
    expect(($("next-step-title") as HTMLInputElement).value).toBe("Follow up: Rückruf");
    $("next-step-skip").click();
    expect(maybe("activity-dialog")).toBeNull();
    expect(backend.calls.some((c) => c.cmd === "create_task")).toBe(false);
    const args = lastCall(backend, "log_activity");
    expect(args.id).toBe(anna.id);
    expect(args.input).toMatchObject({ kind: "call", summary: "Rückruf", text: null, outcome: null, concerns: null });
    expect(Number($("score-total").textContent)).toBeGreaterThan(before);
    expect($$("timeline-entry")[0].textContent).toContain("Rückruf");
  });

  it("v, o and a open the dialog with visit, note and a free choice; not on the list", async () => {
    await start((b) => seed(b));
    key("c");
    key("a");
    expect(maybe("activity-dialog")).toBeNull();
    await openFirst();
    for (const [k, kind] of [["v", "visit"], ["o", "note"], ["a", "call"]] as const) {
      key(k);
      expect(($("activity-kind") as HTMLSelectElement).value).toBe(kind);
      key("Escape");
      expect(maybe("activity-dialog")).toBeNull();
    }
    $("log-visit").click();
    expect(($("activity-kind") as HTMLSelectElement).value).toBe("visit");
    expect($("log-call").getAttribute("aria-keyshortcuts")).toBe("c");
  });

  it("the dialog offers all 12 kinds and sends every field, with the time as RFC 3339 UTC", async () => {
    const { backend } = await start((b) => seed(b));
    await openFirst();
    $("log-activity").click();
    const kinds = Array.from(($("activity-kind") as HTMLSelectElement).options).map((o) => o.value);
    expect(kinds).toHaveLength(12);
    expect(kinds).toContain("webinar_attended");
    expect(($("activity-at") as HTMLInputElement).type).toBe("datetime-local");
    expect(($("activity-at") as HTMLInputElement).value).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    select($("activity-kind"), "meeting");
    type($("activity-at"), "2025-03-12T14:30");
    type($("activity-summary"), "Präsentation");
    type($("activity-text"), "Mit Einkauf und IT");
    type($("activity-outcome"), "Angebot angefragt");
    type($("activity-concerns"), "Preis zu hoch?");
    $("activity-save").click();
    await until(() => lastCall(backend, "log_activity"));
    const input = lastCall(backend, "log_activity").input;
    expect(input).toEqual({
      kind: "meeting", at: new Date(2025, 2, 12, 14, 30).toISOString().replace(".000Z", "Z"),
      summary: "Präsentation", text: "Mit Einkauf und IT", outcome: "Angebot angefragt", concerns: "Preis zu hoch?",
    });
    expect(input.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("deletes an entry after a confirming second click", async () => {
    let anna!: Seeded;
    const { backend } = await start((b) => { anna = seed(b); });
    await openFirst();
    const newest = (await backend.call("list_activities", { id: anna.id, query: { kinds: null, offset: 0, limit: 1 } })).items[0];
    const del = $("activity-delete", $$("timeline-entry")[0]);
    del.click();
    expect(backend.calls.some((c) => c.cmd === "delete_activity")).toBe(false);
    expect(del.textContent).toBe("Really delete?");
    del.click();
    await until(() => $$("timeline-entry").length === 1);
    expect(lastCall(backend, "delete_activity")).toEqual({ id: newest.id });
    expect($$("timeline-entry")[0].dataset.kind).toBe("call");
  });
});

describe("checklist and score", () => {
  it("sends set_criteria with only the changed criterion and shows the result", async () => {
    let anna!: Seeded;
    const { backend } = await start((b) => { anna = seed(b); });
    await openFirst();
    expect($("criterion-authority-yes").getAttribute("aria-pressed")).toBe("true");
    expect($("criterion-budget-unknown").getAttribute("aria-pressed")).toBe("true");
    $("criterion-budget-yes").click();
    await until(() => $("criterion-budget-yes").getAttribute("aria-pressed") === "true");
    expect(lastCall(backend, "set_criteria")).toEqual({
      id: anna.id, criteria: { target_group: null, budget: "yes", authority: null, need: null, timeline: null },
    });
    expect(document.activeElement).toBe($("criterion-budget-yes"));
    expect($("score-fit").textContent).toBe("20");
  });

  it("shows where target-group fit comes from and goes back to auto", async () => {
    const { backend } = await start((b) => {
      seed(b);
      b.settings.target_profile.industries = ["Maschinenbau"];
      b.organization("Müller AG", { industry: "Maschinenbau" });
    });
    await openFirst();
    expect($("criterion-target_group-yes").getAttribute("aria-pressed")).toBe("true");
    expect($("criterion-target_group-auto").getAttribute("aria-pressed")).toBe("true");
    expect($("target-group-source").textContent).toBe("proposed from organisation data");
    $("criterion-target_group-no").click();
    await until(() => $("target-group-source").textContent === "set by hand");
    expect(lastCall(backend, "set_criteria").criteria.target_group).toBe("no");
    $("criterion-target_group-auto").click();
    await until(() => $("target-group-source").textContent === "proposed from organisation data");
    expect(lastCall(backend, "set_criteria").criteria.target_group).toBe("auto");
    expect($("criterion-target_group-yes").getAttribute("aria-pressed")).toBe("true");
  });

  it("renders score, parts and line items from structured fields in English", async () => {
    await start((b) => seed(b));
    await openFirst();
    // fit: authority 10; engagement: 15·2^(-3/30) = 14.0 + 8·2^(-10/30) = 6.3
    expect($("score-fit").textContent).toBe("10");
    expect($("score-engagement").textContent).toBe("20");
    expect($("score-total").textContent).toBe("30");
    const lines = $$("score-line").map((l) => l.textContent!.replace(/\s+/g, " ").trim());
    expect(lines).toContain("+0 budget unknown");
    expect(lines).toContain("+10 authority to decide: yes");
    expect(lines).toContain("+14 webinar attended, 3 days ago");
    expect(lines).toContain("+6.3 call, 10 days ago");
  });

  it("renders the line items in German, and falls back to the English reason for unknown keys", async () => {
    await start((b) => seed(b, "de"), (b) => async (cmd, args) => {
      const r = (await b.handle(cmd, args)) as any;
      if (cmd === "get_contact") {
        r.score.lines.push({ points: 3, reason: "mystery bonus", part: "engagement", key: "mystery", answer: null, at: null, age_days: null, count: 1 });
        r.score.lines.push({ points: 1.5, reason: "4 older activities", part: "engagement", key: "older", answer: null, at: null, age_days: 120, count: 4 });
      }
      return r;
    });
    await openFirst();
    const lines = $$("score-line").map((l) => l.textContent!.replace(/\s+/g, " ").trim());
    expect(lines).toContain("+0 Budget unbekannt");
    expect(lines).toContain("+10 Entscheidungsbefugnis: ja");
    expect(lines).toContain("+14 Webinar besucht, vor 3 Tagen");
    expect(lines).toContain("+6,3 Anruf, vor 10 Tagen");
    expect(lines).toContain("+3 mystery bonus");
    expect(lines).toContain("+1,5 4 ältere Aktivitäten");
  });

  it("shows the proposal badge and accepts it with the button (stage change by rule)", async () => {
    let c!: Seeded;
    const { backend } = await start((b) => {
      c = seed(b);
      b.setCriteria(c, { budget: "yes", target_group: "yes" });
    });
    await openFirst();
    expect($("proposal-badge").textContent).toContain("Ready for Prospect (MQL)");
    $("accept-proposal").click();
    await until(() => $("stage-badge").textContent === "Prospect (MQL)");
    expect(lastCall(backend, "accept_proposal")).toEqual({ id: c.id });
    expect(maybe("proposal-badge")).toBeNull();
    expect($$("history-entry")[0].textContent).toContain("by rule");
  });

  it("accepts with q; q does nothing without a proposal; German badge and history text", async () => {
    const { backend } = await start((b) => {
      const c = seed(b, "de");
      b.setCriteria(c, { budget: "yes", target_group: "yes" });
      b.add({ first_name: "Zoe", last_name: "Zander" });
    });
    await openFirst();
    expect($("proposal-badge").textContent).toContain("Bereit für Interessent (MQL)");
    key("q");
    await until(() => $("stage-badge").textContent === "Interessent (MQL)");
    expect($$("history-entry")[0].textContent).toContain("automatisch (Regel)");
    key("Escape");
    await until(() => maybe("contact-row"));
    $$("contact-row")[1].click();
    await until(() => $("contact-name").textContent === "Zoe Zander");
    const n = backend.calls.filter((c) => c.cmd === "accept_proposal").length;
    key("q");
    expect(backend.calls.filter((c) => c.cmd === "accept_proposal").length).toBe(n);
  });

  it("translates no_proposal", async () => {
    await start((b) => {
      const c = seed(b, "de");
      b.setCriteria(c, { budget: "yes", target_group: "yes" });
    }, (b) => (cmd, args) => {
      if (cmd === "accept_proposal") throw { code: "no_proposal", message: "no qualification proposal for this contact", field: null, from: null, to: null };
      return b.handle(cmd, args);
    });
    await openFirst();
    $("accept-proposal").click();
    await until(() => maybe("error-message"));
    expect($("error-message").textContent).toContain("kein Qualifizierungsvorschlag");
  });
});

describe("notice", () => {
  it("announces a new proposal after an action, accepts from the notice, and hides after ~8 s", async () => {
    let c!: Seeded;
    const { backend } = await start((b) => {
      c = seed(b);
      b.setCriteria(c, { target_group: "yes" });
      b.settings.scoring.prospect_threshold = 90;
      b.settings.scoring.opportunity_threshold = 100; // never below the prospect threshold
    });
    await openFirst();
    expect(maybe("proposal-badge")).toBeNull();
    expect(maybe("notice")).toBeNull();
    $("criterion-budget-yes").click();
    await until(() => maybe("notice"));
    expect($("notice").getAttribute("role")).toBe("status");
    expect($("notice").textContent).toContain("Anna Schmidt is ready for Prospect (MQL)");
    $("notice-accept").click();
    await until(() => $("stage-badge").textContent === "Prospect (MQL)");
    expect(lastCall(backend, "accept_proposal")).toEqual({ id: c.id });
    expect(maybe("notice")).toBeNull();
  });

  it("says it in German, does not repeat for an unchanged proposal, and auto-hides", async () => {
    await start((b) => {
      const c = seed(b, "de");
      b.setCriteria(c, { target_group: "yes" });
      b.settings.scoring.prospect_threshold = 90;
      b.settings.scoring.opportunity_threshold = 100; // never below the prospect threshold
    });
    await openFirst();
    expect(maybe("proposal-badge")).toBeNull();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    $("criterion-budget-yes").click();
    await vi.waitFor(() => expect(maybe("notice")).not.toBeNull());
    expect($("notice").textContent).toContain("Anna Schmidt ist bereit für Interessent (MQL)");
    expect($("notice-accept").textContent).toBe("Übernehmen");
    vi.advanceTimersByTime(NOTICE_MS + 10);
    expect(maybe("notice")).toBeNull();
    $("criterion-need-yes").click();
    await vi.waitFor(() => expect($("criterion-need-yes").getAttribute("aria-pressed")).toBe("true"));
    expect(maybe("notice")).toBeNull();
  });

  it("appears when a logged activity creates the proposal", async () => {
    await start((b) => {
      const c = seed(b);
      b.settings.scoring.prospect_threshold = 35;
      return c;
    });
    await openFirst();
    expect(maybe("proposal-badge")).toBeNull();
    key("v");
    $("activity-save").click();
    await until(() => maybe("next-step"));
    $("next-step-skip").click();
    await until(() => maybe("notice"));
    expect(maybe("proposal-badge")).not.toBeNull();
  });
});

describe("notice after saving settings", () => {
  /** Anna and Bernd with the same activities (score 30), Carla without any; nobody ready at a threshold of 90. */
  function seedThree(b: LiveBackend, language: "de" | "en" = "en") {
    const anna = seed(b, language);
    const bernd = b.add({ first_name: "Bernd", last_name: "Otto", stage: "lead" });
    b.log(bernd, "webinar_attended", 3);
    b.log(bernd, "call", 10);
    b.setCriteria(bernd, { authority: "yes" });
    b.add({ first_name: "Carla", last_name: "Zorn", stage: "lead" });
    b.settings.scoring.prospect_threshold = 90;
    b.settings.scoring.opportunity_threshold = 100; // never below the prospect threshold
    return { anna, bernd };
  }
  async function saveThreshold(value: string) {
    $("open-settings").click();
    type($("setting-prospect-threshold"), value);
    $("settings-save").click();
    await until(() => maybe("settings-dialog") === null);
  }

  it("counts the contacts a lower threshold made ready and shows them on request", async () => {
    const { backend } = await start((b) => void seedThree(b));
    expect(chipCount("ready")).toBe("0");
    await saveThreshold("25");
    await until(() => maybe("notice"));
    expect($("notice").textContent).toContain("2 contacts are now ready to qualify");
    expect($("notice").getAttribute("role")).toBe("status");
    $("search").focus();
    $("notice-show-ready").click();
    await until(() => $("stage-chip-ready").getAttribute("aria-pressed") === "true" && names().length === 2);
    expect(names()).toEqual(["Bernd Otto", "Anna Schmidt"]); // by last name
    expect(maybe("notice")).toBeNull();
    // saving again changes nothing: no notice
    await saveThreshold("25");
    await backend.idle();
    expect(maybe("notice")).toBeNull();
  });

  it("names a single new contact with Accept, from another contact's page, in German", async () => {
    let bernd!: Seeded;
    const { backend } = await start((b) => {
      ({ bernd } = seedThree(b, "de"));
      b.log(bernd, "visit", 2);
    });
    $$("contact-row").find((r) => r.textContent?.includes("Carla Zorn"))!.click();
    await until(() => maybe("contact-page"));
    // Bernd (one more visit) passes 45, Anna does not
    await saveThreshold("45");
    await until(() => maybe("notice"));
    expect($("notice").textContent).toContain("Bernd Otto ist bereit für Interessent (MQL)");
    $("notice-accept").click();
    await until(() => lastCall(backend, "accept_proposal"));
    expect((await backend.call("get_contact", { id: bernd.id })).contact.stage).toBe("prospect");
    expect($("contact-page").textContent).toContain("Carla Zorn");
  });

  it("says how many in German and links to the ready list from a contact page", async () => {
    await start((b) => seedThree(b, "de"));
    $$("contact-row").find((r) => r.textContent?.includes("Carla Zorn"))!.click();
    await until(() => maybe("contact-page"));
    await saveThreshold("25");
    await until(() => maybe("notice"));
    expect($("notice").textContent).toContain("2 Kontakte sind jetzt bereit zur Qualifizierung");
    expect($("notice-show-ready").textContent).toBe("Anzeigen");
    $("notice-show-ready").click();
    await until(() => maybe("contact-page") === null && names().length === 2);
    expect($("stage-chip-ready").getAttribute("aria-pressed")).toBe("true");
  });
});

describe("list", () => {
  it("shows the score per row and expands its line items lazily with click and keyboard", async () => {
    let annaSeed!: Seeded;
    const { backend } = await start((b) => {
      annaSeed = seed(b);
      b.add({ first_name: "Bernd", last_name: "Otto" });
    });
    const [bernd, anna] = $$("row-score"); // by last name: Otto, Schmidt
    expect(anna.textContent).toBe("30");
    expect(bernd.textContent).toBe("0");
    expect(backend.calls.some((c) => c.cmd === "get_score")).toBe(false);
    anna.click();
    await until(() => maybe("row-score-lines"));
    expect(maybe("contact-page")).toBeNull(); // the click does not open the contact
    expect(anna.getAttribute("aria-expanded")).toBe("true");
    expect(lastCall(backend, "get_score")).toEqual({ id: annaSeed.id });
    expect($("row-score-lines").textContent).toContain("webinar attended, 3 days ago");
    anna.click();
    await until(() => anna.getAttribute("aria-expanded") === "false");
    expect($("row-score-lines").closest("[hidden]")).not.toBeNull();
    // keyboard: Enter on the score expands, it does not open the contact
    bernd.focus();
    key("Enter", bernd);
    await until(() => bernd.getAttribute("aria-expanded") === "true");
    expect(maybe("contact-page")).toBeNull();
    key(" ", bernd);
    await until(() => bernd.getAttribute("aria-expanded") === "false");
    expect(anna.tabIndex).toBe(0);
  });

  it("marks rows with a proposal and filters with the ready-to-qualify chip", async () => {
    const { backend } = await start((b) => {
      const c = seed(b);
      b.setCriteria(c, { budget: "yes", target_group: "yes" });
      b.add({ first_name: "Bernd", last_name: "Otto" });
      b.add({ first_name: "Carla", last_name: "Zorn", stage: "customer" });
    }, );
    expect(chipCount("ready")).toBe("1");
    expect($$("row-proposal")).toHaveLength(1);
    expect($("row-proposal").textContent).toContain("Prospect (MQL)");
    expect($("stage-chip-ready").textContent).toContain("Ready to qualify");
    $("stage-chip-ready").click();
    await until(() => names().length === 1);
    expect(names()).toEqual(["Anna Schmidt"]);
    expect(lastCall(backend, "list_contacts").query).toMatchObject({ ready_to_qualify: true, stage: null });
    expect($("stage-chip-ready").getAttribute("aria-pressed")).toBe("true");
    expect($("stage-chip-all").getAttribute("aria-pressed")).toBe("false");
    $("stage-chip-customer").click();
    await until(() => names().length === 1 && names()[0] === "Carla Zorn");
    expect(lastCall(backend, "list_contacts").query).toMatchObject({ ready_to_qualify: false, stage: "customer" });
    expect($("stage-chip-ready").getAttribute("aria-pressed")).toBe("false");
  });

  it("names the chip in German", async () => {
    await start((b) => seed(b, "de"));
    expect($("stage-chip-ready").textContent).toContain("Bereit zur Qualifizierung");
  });
});

describe("organisation", () => {
  it("shows the organisation data and edits it; the target-group proposal follows", async () => {
    const { backend } = await start((b) => {
      seed(b);
      b.settings.target_profile = { industries: ["Maschinenbau"], size_min: 50, size_max: null, regions: ["7"] };
    });
    await openFirst();
    expect($("org-details").textContent).toContain("Müller AG");
    expect($("criterion-target_group-unknown").getAttribute("aria-pressed")).toBe("true");
    $("edit-organization").click();
    expect(maybe("org-dialog")).not.toBeNull();
    type($("org-industry"), "Maschinenbau");
    type($("org-size"), "lots");
    $("org-save").click();
    expect($("org-dialog").textContent).toContain("Please enter a whole number");
    expect(backend.calls.some((c) => c.cmd === "update_organization")).toBe(false);
    type($("org-size"), "420");
    type($("org-postcode"), "70173");
    type($("org-region"), "Baden-Württemberg");
    $("org-save").click();
    await until(() => maybe("org-dialog") === null);
    const [org] = await backend.call("list_organizations", { search: "Müller AG" });
    expect(lastCall(backend, "update_organization")).toEqual({
      id: org.id,
      input: {
        name: "Müller AG", industry: "Maschinenbau", size: 420, postcode: "70173", region: "Baden-Württemberg",
        street: null, city: null, country: null, pin: null,
      },
    });
    const details = $("org-details").textContent!;
    for (const v of ["Maschinenbau", "420", "70173", "Baden-Württemberg"]) expect(details).toContain(v);
    expect($("criterion-target_group-yes").getAttribute("aria-pressed")).toBe("true");
    expect($("target-group-source").textContent).toBe("proposed from organisation data");
  });
});
