import { afterEach, describe, expect, it } from "vitest";
import { $, $$, maybe, start, stop, type, until } from "./helpers";
import type { LiveBackend } from "./live";

afterEach(stop);

const text = (el: Element) => (el.textContent ?? "").replace(/[\u00a0\u202f]/g, " ");
const lastCall = (b: LiveBackend, cmd: string) => b.calls.filter((c) => c.cmd === cmd).at(-1)?.args;

/**
 * Contacts with histories in March 2025, deals won and lost, activities and an
 * overdue task, made through the real commands on the days they happened: Anna
 * lead (10 days ago) → prospect (8) → opportunity (6) → customer by rule when
 * her deal is won (2); Bernd lead (9) → prospect (5), a deal lost (4); Carla a
 * lead (3) without a source.
 */
function seed(b: LiveBackend, language: "de" | "en") {
  b.settings.language = language;
  // No rules: the shipped "first call" rule would add tasks to the overdue report.
  b.settings.automation = [];
  let anna!: ReturnType<typeof b.add>;
  let bernd!: ReturnType<typeof b.add>;
  b.back(10, () => { anna = b.add({ first_name: "Anna", last_name: "Schmidt", source: "Messe" }); });
  b.back(9, () => { bernd = b.add({ first_name: "Bernd", last_name: "Becker", source: "Messe" }); });
  b.back(8, () => b.stage(anna, "prospect"));
  b.back(6, () => b.stage(anna, "opportunity"));
  b.back(5, () => b.stage(bernd, "prospect"));
  b.back(4, () => {
    b.addDeal({ contact_id: anna.id, title: "open-1", value: 8000, stage: "proposal" });
    b.addDeal({ contact_id: bernd.id, title: "lost-1", value: 4000, stage: "lost", lost_reason: "zu teuer" });
  });
  b.back(3, () => { b.add({ first_name: "Carla", last_name: "Weber" }); });
  b.back(2, () => { b.addDeal({ contact_id: anna.id, title: "won-1", value: 10000, stage: "won" }); });
  b.log(anna, "call", 1);
  b.log(anna, "meeting", 2);
  b.log(bernd, "call", 3);
  b.addTask({ title: "Angebot nachfassen", due: "2025-03-10", contact_id: anna.id });
}

async function openReports() {
  $("nav-reports").click();
  await until(() => maybe("reports-view") && $("reports-view").querySelector('[aria-busy="false"]') && maybe("overdue-task"));
}

describe("reports", () => {
  it("labels a stage's bars in every currency, weighted too, in one notation for the whole chart", async () => {
    await start((b) => {
      seed(b, "en");
      const carla = b.add({ first_name: "Carla", last_name: "Zorn" });
      b.addDeal({ contact_id: carla.id, title: "big", value: 1_400_000, stage: "proposal" });
      b.addDeal({ contact_id: carla.id, title: "swiss", value: 31_402, currency: "CHF", stage: "proposal" });
      b.addDeal({ contact_id: carla.id, title: "us", value: 1201, currency: "USD", stage: "proposal" });
    });
    await openReports();
    const proposal = $$("chart-bar", $("report-pipeline")).find((g) => g.getAttribute("data-stage") === "proposal")!;
    const [total, weighted] = $$("chart-value", proposal).map(text);
    expect(total).toBe("€1.4M + CHF 31.4K + $1.2K");
    expect(weighted).toBe("€704K + CHF 15.7K + $600.5"); // CHF and USD are not dropped
    // the longest label fits the chart: its end is inside the drawing
    const svg = $("report-pipeline").querySelector("svg")!;
    const width = Number(svg.getAttribute("viewBox")!.split(" ")[2]);
    const label = $$("chart-value", proposal)[0];
    expect(Number(label.getAttribute("x")) + total.length * 7.2).toBeLessThanOrEqual(width + 1);
  });

  it("renders every report as an SVG chart with readable, localised values (English)", async () => {
    const { backend } = await start((b) => seed(b, "en"));
    await openReports();
    // first visit: this year
    expect(($("report-from") as HTMLInputElement).value).toBe("2025-01-01");
    expect(($("report-to") as HTMLInputElement).value).toBe("2025-03-14");
    expect($("report-preset-year").getAttribute("aria-pressed")).toBe("true");
    expect(lastCall(backend, "report")).toEqual({ kind: "overdue", period: { from: "2025-01-01", to: "2025-03-14" } });

    const funnel = $("report-funnel");
    const svg = funnel.querySelector("svg")!;
    expect(svg.namespaceURI).toBe("http://www.w3.org/2000/svg");
    expect(svg.querySelector("title")!.textContent).toBe("Funnel");
    const values = $$("chart-value", funnel).map(text);
    expect(values).toEqual(["1 (3 entered)", "1 (2 entered)", "0 (1 entered)", "1 (1 entered)", "0 (0 entered)"]);
    expect($$("chart-bar", funnel)[0].querySelector("title")!.textContent).toBe("Lead: 1, 3 entered");

    const conv = $$("chart-value", $("report-conversion")).map(text);
    expect(conv[0]).toBe("67% · 2 of 3");
    expect(conv[1]).toBe("50% · 1 of 2");
    expect(conv).toContain("4.0 days");

    const pipe = $("report-pipeline");
    expect(text($("kpi-win-rate", pipe))).toContain("50%");
    expect(text($("kpi-win-rate", pipe))).toContain("1 won · 1 lost");
    expect(text($("kpi-avg-won", pipe))).toContain("€10,000.00");
    const proposal = $$("chart-bar", pipe).find((g) => g.getAttribute("data-stage") === "proposal")!;
    expect($$("chart-value", proposal).map(text)).toEqual(["€8,000", "€4,000"]);

    const acts = $("report-activities");
    expect($$("chart-bar", acts).length).toBeGreaterThan(10);
    // Four groups a colour-blind reader tells apart, named beside the bars too.
    expect(text($("chart-legend", acts))).toContain("Conversations 3 (Call, Meeting, Visit)");
    expect($("chart-legend", acts).querySelectorAll("li")).toHaveLength(1);
    expect(text($("chart-direct-labels", acts))).toBe("Conversations");
    const week = $$("chart-bar", acts).find((g) => g.getAttribute("data-week") === "2025-03-10")!;
    expect(week.querySelector("title")!.textContent).toBe("Week of Mar 10, 2025: 3, Call 2, Meeting 1");
    expect(week.querySelector('[data-group="talk"] title')!.textContent).toBe("Conversations: 3 (Call 2, Meeting 1)");
    expect(week.querySelector('[data-group="talk"]')!.getAttribute("fill")).toBe("#0072B2");

    const src = $$("chart-value", $("report-sources")).map(text);
    expect(src).toEqual(["2", "1 · 50%", "1", "0 · 0%"]);
    expect($("report-sources").textContent).toContain("(no source)");

    expect($("overdue-count").textContent).toBe("1 overdue task");
    expect($("overdue-task").textContent).toContain("Angebot nachfassen");
    expect($("overdue-contact").textContent).toBe("Anna Schmidt");
  });

  it("shows German numbers and dates, follows presets and typed dates, and shows empty states", async () => {
    const { backend } = await start((b) => seed(b, "de"));
    await openReports();
    expect($("reports-view").textContent).toContain("Trichter");
    expect(text($("kpi-avg-won"))).toContain("10.000,00 €");
    expect($$("chart-value", $("report-conversion")).map(text)).toContain("4,0 Tage");
    expect($$("chart-value", $("report-conversion")).map(text)[0]).toBe("67 % · 2 von 3");
    $("report-preset-30").click();
    await until(() => lastCall(backend, "report").period.from === "2025-02-13");
    expect(lastCall(backend, "report").period).toEqual({ from: "2025-02-13", to: "2025-03-14" });
    const from = $("report-from") as HTMLInputElement;
    from.value = "2024-01-01";
    from.dispatchEvent(new Event("change"));
    const to = $("report-to") as HTMLInputElement;
    to.value = "2024-01-31";
    to.dispatchEvent(new Event("change"));
    await until(() => lastCall(backend, "report").period.to === "2024-01-31" && $("reports-view").querySelector('[aria-busy="false"]') && maybe("report-empty"));
    expect($("report-preset-30").getAttribute("aria-pressed")).toBe("false");
    expect($("report-empty", $("report-funnel")).textContent).toBe("Nichts in diesem Zeitraum.");
    await until(() => maybe("report-overdue")?.textContent?.includes("Keine überfälligen Aufgaben."));
    $("report-preset-all").click();
    await until(() => lastCall(backend, "report").period.from === null);
    expect(lastCall(backend, "report").period).toEqual({ from: null, to: null });
    void type;
  });

  it("exports each report as CSV through the backend", async () => {
    const { backend } = await start((b) => seed(b, "en"));
    await openReports();
    $("report-export", $("report-sources")).click();
    await until(() => maybe("toast"));
    expect(lastCall(backend, "export_report")).toEqual({ kind: "sources", period: { from: "2025-01-01", to: "2025-03-14" } });
    expect($("toast").textContent).toBe("Saved report-sources.csv (2 rows).");
    await backend.answerDialog(null); // the user cancels the save dialog
    $("report-export", $("report-funnel")).click();
    await until(() => lastCall(backend, "export_report").kind === "funnel");
    expect($("toast").textContent).toBe("Saved report-sources.csv (2 rows).");
  });
});
