// The reports view: a period (from/to dates and presets) and one section per
// report, each an SVG chart with the values written on it, `<title>`s for
// screen readers and tooltips, an empty state, and CSV export through the
// backend's save dialog. Numbers, percentages, money and dates use Intl in
// the UI language.
import type { Shell } from "../shell";
import type { ActivitiesReport } from "../bindings/ActivitiesReport";
import type { ActivityKind } from "../bindings/ActivityKind";
import type { Conversion } from "../bindings/Conversion";
import type { Funnel } from "../bindings/Funnel";
import type { Money } from "../bindings/Money";
import type { OverdueReport } from "../bindings/OverdueReport";
import type { PipelineReport } from "../bindings/PipelineReport";
import type { ReportKind } from "../bindings/ReportKind";
import type { SourcesReport } from "../bindings/SourcesReport";
import { h, replace, type Child } from "../dom";
import { PERIOD_PRESETS, type PeriodPreset } from "../periods";
import { dateFormat, dateFormatLocale, dealStageName, dueText, formatDay, formatMoneyList, formatMoneyShortList, formatNumber, formatPercent, kindName, type MessageKey, overdueText, plural, stageName, t } from "../i18n";
import * as ipc from "../ipc";
import { ACTIVITY_KINDS } from "../generated/core";
import { chart, s, title } from "../svg";
import { clock } from "../tasks";
import { button } from "./common";

/** Chart geometry (viewBox units; the SVG scales to its section's width). */
const W = 640;
const LABEL_W = 170;
const ROW = 30;
const BAR = 18;

/**
 * The activities chart's groups: twelve kinds cannot be told apart by
 * colour, four can. Colours from Okabe and Ito's palette for colour-blind
 * readers (blue, orange, bluish green, grey), each also named beside the
 * bars; the kinds stay in each bar's tooltip.
 */
const KIND_GROUPS: { key: "talk" | "email" | "marketing" | "note"; color: string; kinds: readonly ActivityKind[] }[] = [
  { key: "talk", color: "#0072B2", kinds: ["call", "meeting", "visit"] },
  { key: "email", color: "#E69F00", kinds: ["email", "email_opened", "email_replied"] },
  { key: "marketing", color: "#009E73", kinds: ["newsletter_signup", "whitepaper_download", "webinar_attended", "website_visit", "form_submitted"] },
  { key: "note", color: "#8C8C8C", kinds: ["note"] },
];

const SECTIONS: { kind: ReportKind; title: MessageKey; hint: MessageKey }[] = [
  { kind: "funnel", title: "reports.funnel", hint: "reports.funnel_hint" },
  { kind: "conversion", title: "reports.conversion", hint: "reports.conversion_hint" },
  { kind: "pipeline", title: "reports.pipeline", hint: "reports.pipeline_hint" },
  { kind: "activities", title: "reports.activities", hint: "reports.activities_hint" },
  { kind: "sources", title: "reports.sources", hint: "reports.sources_hint" },
  { kind: "overdue", title: "reports.overdue", hint: "reports.overdue_hint" },
];

const PRESET_KEYS: Record<PeriodPreset, MessageKey> = {
  month: "reports.preset_month", "30": "reports.preset_30", quarter: "reports.preset_quarter", year: "reports.preset_year", all: "reports.preset_all",
};

export class ReportsView {
  readonly el: HTMLElement;

  constructor(private readonly app: Shell) {
    this.el = h("section", { class: "reports-view", "data-testid": "reports-view" });
  }

  update(): void {
    const r = this.app.reports;
    const from = h("input", {
      id: "report-from", type: "date", "data-testid": "report-from", value: r.period.from ?? "",
      onchange: () => this.app.setReportPeriod({ from: from.value || null, to: to.value || null }),
    });
    const to = h("input", {
      id: "report-to", type: "date", "data-testid": "report-to", value: r.period.to ?? "",
      onchange: () => this.app.setReportPeriod({ from: from.value || null, to: to.value || null }),
    });
    const presets = h("div", { class: "segmented", role: "group", "aria-label": t("reports.period") },
      PERIOD_PRESETS.map((p) => h("button", {
        type: "button", class: `seg${r.preset === p ? " current" : ""}`, "data-testid": `report-preset-${p}`,
        "aria-pressed": r.preset === p ? "true" : "false", onclick: () => this.app.setReportPreset(p),
      }, t(PRESET_KEYS[p]))));
    const focused = document.activeElement instanceof HTMLElement && this.el.contains(document.activeElement)
      ? document.activeElement.dataset.testid : null;
    replace(
      this.el,
      h("header", { class: "reports-head" },
        h("h1", { tabindex: -1, "data-testid": "reports-heading" }, t("reports.title")),
        h("div", { class: "reports-period" },
          h("label", { for: "report-from", class: "label" }, t("reports.from")), from,
          h("label", { for: "report-to", class: "label" }, t("reports.to")), to,
          presets)),
      h("div", { class: "reports-grid", "aria-busy": r.loading ? "true" : "false" }, SECTIONS.map((sec) => this.section(sec))),
    );
    if (focused) this.el.querySelector<HTMLElement>(`[data-testid="${focused}"]`)?.focus();
  }

  private section(sec: (typeof SECTIONS)[number]): HTMLElement {
    const data = this.app.reports.data;
    const slot = h("div", { class: "error-slot" });
    const id = `report-${sec.kind}-title`;
    let body: Child;
    if (!data[sec.kind]) body = h("p", { class: "muted" }, t("reports.loading"));
    else {
      switch (sec.kind) {
        case "funnel": body = funnelChart(data.funnel!); break;
        case "conversion": body = conversionChart(data.conversion!); break;
        case "pipeline": body = pipelineChart(this.app, data.pipeline!); break;
        case "activities": body = activitiesChart(data.activities!); break;
        case "sources": body = sourcesChart(data.sources!); break;
        default: body = overdueList(this.app, data.overdue!);
      }
    }
    return h(
      "section",
      { class: "card report", "data-testid": `report-${sec.kind}`, "aria-labelledby": id },
      h("header", { class: "card-head" },
        h("h2", { id }, t(sec.title)),
        h("span", { class: "spacer" }),
        button(t("reports.export"), { testid: "report-export", kind: "ghost", onclick: () => void this.export(sec.kind, slot) })),
      h("p", { class: "hint" }, t(sec.hint)),
      body,
      slot,
    );
  }

  private async export(kind: ReportKind, slot: HTMLElement): Promise<void> {
    try {
      const file = await ipc.exportReport(kind, { ...this.app.reports.period });
      if (file) this.app.showToast(t("reports.exported", { file: file.name, n: formatNumber(file.count) }));
    } catch (e) {
      this.app.showError(e, slot);
    }
  }
}

const empty = () => h("p", { class: "muted", "data-testid": "report-empty" }, t("reports.empty"));

/** A horizontal bar chart: label, bar ∝ value, text after the bar. */
function hbars(label: string, rows: { label: string; value: number; text: string; tip: string; cls?: string }[], LABEL_W = 170): SVGSVGElement {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const span = W - LABEL_W - 150;
  return chart(W, rows.length * ROW + 8, label, rows.map((r, i) => {
    const y = 4 + i * ROW;
    const w = Math.max(r.value > 0 ? 2 : 0, (r.value / max) * span);
    return s("g", { class: "bar-row", "data-testid": "chart-bar" },
      title(r.tip),
      s("text", { x: LABEL_W - 8, y: y + BAR / 2, class: "axis-label", "text-anchor": "end", "dominant-baseline": "middle" }, r.label),
      s("rect", { x: LABEL_W, y, width: w.toFixed(1), height: BAR, rx: 3, class: `bar ${r.cls ?? ""}` }),
      s("text", { x: LABEL_W + w + 6, y: y + BAR / 2, class: "bar-value", "dominant-baseline": "middle", "data-testid": "chart-value" }, r.text));
  }));
}

function funnelChart(f: Funnel): HTMLElement {
  if (f.stages.every((x) => x.count === 0 && x.entered === 0)) return empty();
  return h("div", { class: "chart-wrap" }, hbars(t("reports.funnel"), f.stages.map((x) => ({
    label: stageName(x.stage), value: x.count, cls: `fill-${x.stage}`,
    text: `${formatNumber(x.count)} (${t("reports.entered", { n: formatNumber(x.entered) })})`,
    tip: `${stageName(x.stage)}: ${formatNumber(x.count)}, ${t("reports.entered", { n: formatNumber(x.entered) })}`,
  }))));
}

function conversionChart(c: Conversion): HTMLElement {
  const noSteps = c.steps.every((x) => x.entered === 0);
  const noDays = c.avg_days_in_stage.every((x) => x.days === null);
  if (noSteps && noDays) return empty();
  const steps = c.steps.map((x) => ({
    label: `${stageName(x.from)} → ${stageName(x.to)}`, value: x.rate, cls: `fill-${x.to}`,
    text: `${formatPercent(x.rate)} · ${t("reports.converted", { converted: formatNumber(x.converted), entered: formatNumber(x.entered) })}`,
    tip: `${stageName(x.from)} → ${stageName(x.to)}: ${formatPercent(x.rate)} (${t("reports.converted", { converted: x.converted, entered: x.entered })})`,
  }));
  const maxRate = 1;
  const LABEL_W = 290;
  const stepChart = chart(W, steps.length * ROW + 8, t("reports.conversion"), steps.map((r, i) => {
    const y = 4 + i * ROW;
    const span = W - LABEL_W - 150;
    const w = Math.max(r.value > 0 ? 2 : 0, (r.value / maxRate) * span);
    return s("g", { class: "bar-row", "data-testid": "chart-bar" }, title(r.tip),
      s("text", { x: LABEL_W - 8, y: y + BAR / 2, class: "axis-label", "text-anchor": "end", "dominant-baseline": "middle" }, r.label),
      s("rect", { x: LABEL_W, y, width: span, height: BAR, rx: 3, class: "bar-track" }),
      s("rect", { x: LABEL_W, y, width: w.toFixed(1), height: BAR, rx: 3, class: `bar ${r.cls}` }),
      s("text", { x: LABEL_W + span + 6, y: y + BAR / 2, class: "bar-value", "dominant-baseline": "middle", "data-testid": "chart-value" }, r.text));
  }));
  const days = c.avg_days_in_stage.map((x) => ({
    label: stageName(x.stage), value: x.days ?? 0, cls: `fill-${x.stage}`,
    text: x.days === null ? t("reports.no_stays") : t("reports.days", { n: formatNumber(x.days, 1) }),
    tip: `${stageName(x.stage)}: ${x.days === null ? t("reports.no_stays") : t("reports.days", { n: formatNumber(x.days, 1) })} (n = ${x.samples})`,
  }));
  return h("div", { class: "chart-wrap" }, stepChart,
    h("h3", { class: "chart-sub" }, t("reports.avg_days")),
    hbars(t("reports.avg_days"), days, 290));
}

/** The currency the bars are drawn in: the one with the largest open total (EUR when none). */
function mainCurrency(list: readonly Money[]): string {
  return list.slice().sort((a, b) => b.amount - a.amount)[0]?.currency ?? "EUR";
}

const amountIn = (list: readonly Money[], currency: string) => list.find((m) => m.currency === currency)?.amount ?? 0;

function pipelineChart(app: Shell, p: PipelineReport): HTMLElement {
  const stages = app.settings.deal_stages;
  const cur = mainCurrency(p.total);
  const kpis = h("div", { class: "stats report-kpis" },
    h("div", { class: "stat", "data-testid": "kpi-win-rate" },
      h("span", { class: "stat-num" }, formatPercent(p.win_rate)),
      h("span", { class: "stat-label" }, t("reports.win_rate"), " · ", t("reports.won_lost", { won: formatNumber(p.won_count), lost: formatNumber(p.lost_count) }))),
    h("div", { class: "stat", "data-testid": "kpi-avg-won" },
      h("span", { class: "stat-num" }, p.avg_won_size.length ? formatMoneyList(p.avg_won_size) : "—"),
      h("span", { class: "stat-label" }, t("reports.avg_won"))),
    h("div", { class: "stat", "data-testid": "kpi-won-total" },
      h("span", { class: "stat-num" }, formatMoneyList(p.won_total)),
      h("span", { class: "stat-label" }, t("reports.won_total"))),
    h("div", { class: "stat", "data-testid": "kpi-open-total" },
      h("span", { class: "stat-num" }, formatMoneyList(p.total)),
      h("span", { class: "stat-label" }, t("reports.total"), " · ", t("reports.weighted"), " ", formatMoneyList(p.weighted))));
  if (p.by_stage.every((x) => x.count === 0)) return h("div", { class: "chart-wrap" }, kpis, empty());
  const max = Math.max(1, ...p.by_stage.map((x) => amountIn(x.total, cur)));
  // One notation for every label of the chart; room for the longest label after its bar.
  const compact = p.by_stage.some((x) => x.total.some((m) => m.amount >= 100_000));
  const labels = p.by_stage.map((x) => [formatMoneyShortList(x.total, cur, compact), formatMoneyShortList(x.weighted, cur, compact)]);
  const longest = Math.max(...labels.flat().map((l) => l.length));
  const span = Math.max(120, W - LABEL_W - Math.min(W / 2, longest * 7.2 + 16));
  const rowH = 2 * 14 + 12;
  const svg = chart(W, p.by_stage.length * rowH + 28, t("reports.pipeline"),
    p.by_stage.map((x, i) => {
      const y = 4 + i * rowH;
      const total = amountIn(x.total, cur);
      const weighted = amountIn(x.weighted, cur);
      const name = dealStageName(stages, x.stage);
      return s("g", { class: "bar-row", "data-testid": "chart-bar", "data-stage": x.stage },
        title(`${name}: ${plural("pipeline.deals", x.count)}, ${t("reports.total")} ${formatMoneyList(x.total)}, ${t("reports.weighted")} ${formatMoneyList(x.weighted)}`),
        s("text", { x: LABEL_W - 8, y: y + 14, class: "axis-label", "text-anchor": "end", "dominant-baseline": "middle" }, `${name} (${formatNumber(x.count)})`),
        s("rect", { x: LABEL_W, y, width: ((total / max) * span).toFixed(1), height: 13, rx: 2, class: "bar bar-total" }),
        s("text", { x: LABEL_W + (total / max) * span + 6, y: y + 7, class: "bar-value", "dominant-baseline": "middle", "data-testid": "chart-value" },
          labels[i][0]),
        s("rect", { x: LABEL_W, y: y + 15, width: ((weighted / max) * span).toFixed(1), height: 13, rx: 2, class: "bar bar-weighted" }),
        s("text", { x: LABEL_W + (weighted / max) * span + 6, y: y + 22, class: "bar-value muted", "dominant-baseline": "middle", "data-testid": "chart-value" },
          labels[i][1]));
    }),
    legend(W - 300, p.by_stage.length * rowH + 12, [["bar-total", t("reports.total")], ["bar-weighted", t("reports.weighted")]]));
  return h("div", { class: "chart-wrap" }, kpis, svg);
}

/** A one-line legend of class-coloured squares. */
function legend(x: number, y: number, items: [cls: string, label: string][]): SVGGElement {
  return s("g", { class: "legend" }, items.map(([cls, label], i) => s("g", null,
    s("rect", { x: x + i * 140, y: y - 5, width: 10, height: 10, rx: 2, class: `bar ${cls}` }),
    s("text", { x: x + i * 140 + 14, y, class: "axis-label", "dominant-baseline": "middle" }, label))));
}

function activitiesChart(a: ActivitiesReport): HTMLElement {
  const weeks = a.weeks;
  const count = (w: (typeof weeks)[number], kinds: readonly ActivityKind[]) => kinds.reduce((n, k) => n + (w.counts[k] ?? 0), 0);
  const totals = weeks.map((w) => count(w, ACTIVITY_KINDS));
  if (!weeks.length || totals.every((n) => n === 0)) return empty();
  const groups = KIND_GROUPS.filter((g) => weeks.some((w) => count(w, g.kinds) > 0));
  const H = 200;
  const top = 18;
  const left = 30;
  const right = 118; // room for the direct labels
  const bottom = 24;
  const max = Math.max(1, ...totals);
  const slot = (W - left - right) / weeks.length;
  const bw = Math.max(2, Math.min(36, slot * 0.7));
  const every = Math.ceil(weeks.length / 10);
  const fmtWeek = (d: string) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
    return m ? dateFormat(dateFormatLocale(), { day: "numeric", month: "short" })
      .format(new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : d;
  };
  const groupName = (g: (typeof KIND_GROUPS)[number]) => t(`reports.group.${g.key}` as MessageKey);
  // Where each group's segment of the last bar with activities sits: its label goes beside it.
  const last = totals.map((n, i) => (n > 0 ? i : -1)).reduce((a2, b) => Math.max(a2, b), -1);
  const labelAt = new Map<string, number>();
  const svg = chart(W, H + bottom, t("reports.activities"),
    s("line", { x1: left, x2: W - right, y1: H, y2: H, class: "axis" }),
    s("text", { x: left - 4, y: top, class: "axis-label", "text-anchor": "end", "dominant-baseline": "middle" }, formatNumber(max)),
    weeks.map((w, i) => {
      const x = left + i * slot + (slot - bw) / 2;
      let y = H;
      const segs = groups.filter((g) => count(w, g.kinds) > 0).map((g) => {
        const n = count(w, g.kinds);
        const hgt = (n / max) * (H - top);
        y -= hgt;
        if (i === last) labelAt.set(g.key, y + hgt / 2);
        const kinds = g.kinds.filter((k) => w.counts[k]).map((k) => `${kindName(k)} ${formatNumber(w.counts[k]!)}`).join(", ");
        return s("rect", { x: x.toFixed(1), y: y.toFixed(1), width: bw.toFixed(1), height: hgt.toFixed(1), fill: g.color, class: "seg-bar", "data-group": g.key },
          title(`${groupName(g)}: ${formatNumber(n)} (${kinds})`));
      });
      const label = t("reports.week", { date: formatDay(w.week_start) });
      return s("g", { class: "week", "data-testid": "chart-bar", "data-week": w.week_start },
        title(`${label}: ${formatNumber(totals[i])}${ACTIVITY_KINDS.filter((k) => w.counts[k]).map((k) => `, ${kindName(k)} ${formatNumber(w.counts[k]!)}`).join("")}`),
        segs,
        totals[i] > 0 && bw >= 12 ? s("text", { x: (x + bw / 2).toFixed(1), y: y - 4, class: "bar-value", "text-anchor": "middle", "data-testid": "chart-value" }, formatNumber(totals[i])) : null,
        i % every === 0 ? s("text", { x: (x + bw / 2).toFixed(1), y: H + 14, class: "axis-label", "text-anchor": "middle" }, fmtWeek(w.week_start)) : null);
    }),
    directLabels(groups.filter((g) => labelAt.has(g.key)).map((g) => ({ g, y: labelAt.get(g.key)! })), W - right + 8, top, H, groupName));
  return h("div", { class: "chart-wrap" }, svg,
    h("ul", { class: "chart-legend", "data-testid": "chart-legend" }, groups.map((g) => h("li", { "data-group": g.key },
      h("span", { class: "swatch", "aria-hidden": "true" }, s("svg", { width: 10, height: 10, viewBox: "0 0 10 10" }, s("rect", { width: 10, height: 10, rx: 2, fill: g.color }))),
      ` ${groupName(g)} `, h("span", { class: "muted" }, formatNumber(weeks.reduce((n, w) => n + count(w, g.kinds), 0))),
      h("span", { class: "muted legend-kinds" }, ` (${g.kinds.map(kindName).join(", ")})`)))));
}

/** Each group's name beside its segment of the last bar, nudged apart so none overlap. */
function directLabels<G>(items: { g: G & { key: string; color: string }; y: number }[], x: number, top: number, bottom: number, name: (g: G & { key: string; color: string }) => string): SVGGElement {
  const gap = 13;
  const placed = items.slice().sort((p, q) => p.y - q.y).map((it) => ({ ...it }));
  for (let i = 1; i < placed.length; i++) placed[i].y = Math.max(placed[i].y, placed[i - 1].y + gap);
  const overflow = placed.length ? placed[placed.length - 1].y - bottom : 0;
  if (overflow > 0) placed.forEach((p) => { p.y = Math.max(top, p.y - overflow); });
  return s("g", { class: "direct-labels", "data-testid": "chart-direct-labels" }, placed.map((p) => s("g", { "data-group": p.g.key },
    s("rect", { x, y: p.y - 4, width: 8, height: 8, rx: 2, fill: p.g.color }),
    s("text", { x: x + 12, y: p.y, class: "axis-label", "dominant-baseline": "middle" }, name(p.g)))));
}

function sourcesChart(r: SourcesReport): HTMLElement {
  if (!r.sources.length) return empty();
  const rowH = 34;
  const max = Math.max(1, ...r.sources.map((x) => x.leads));
  const span = W - LABEL_W - 190;
  const svg = chart(W, r.sources.length * rowH + 28, t("reports.sources"),
    r.sources.map((x, i) => {
      const y = 4 + i * rowH;
      const name = x.source || t("reports.no_source");
      const lw = (x.leads / max) * span;
      const cw = (x.customers / max) * span;
      return s("g", { class: "bar-row", "data-testid": "chart-bar" },
        title(`${name}: ${t("reports.leads")} ${formatNumber(x.leads)}, ${t("reports.customers")} ${formatNumber(x.customers)}, ${t("reports.rate", { rate: formatPercent(x.rate) })}`),
        s("text", { x: LABEL_W - 8, y: y + 13, class: "axis-label", "text-anchor": "end", "dominant-baseline": "middle" }, name),
        s("rect", { x: LABEL_W, y, width: lw.toFixed(1), height: 12, rx: 2, class: "bar fill-lead" }),
        s("rect", { x: LABEL_W, y: y + 14, width: cw.toFixed(1), height: 12, rx: 2, class: "bar fill-customer" }),
        s("text", { x: LABEL_W + lw + 6, y: y + 6, class: "bar-value", "dominant-baseline": "middle", "data-testid": "chart-value" }, formatNumber(x.leads)),
        s("text", { x: LABEL_W + cw + 6, y: y + 20, class: "bar-value", "dominant-baseline": "middle", "data-testid": "chart-value" },
          `${formatNumber(x.customers)} · ${formatPercent(x.rate)}`));
    }),
    legend(W - 300, r.sources.length * rowH + 14, [["fill-lead", t("reports.leads")], ["fill-customer", t("reports.customers")]]));
  return h("div", { class: "chart-wrap" }, svg);
}

function overdueList(app: Shell, r: OverdueReport): HTMLElement {
  if (!r.tasks.length) return h("p", { class: "muted", "data-testid": "report-empty" }, t("reports.overdue_none"));
  const now = clock.now();
  return h("div", null,
    h("p", { class: "stat-num small", "data-testid": "overdue-count" }, plural("reports.overdue_count", r.count)),
    h("ul", { class: "overdue-list" }, r.tasks.map((task) => {
      const name = task.contact_id ? app.reports.names[task.contact_id] ?? "—" : t("reports.no_contact");
      return h("li", { class: "overdue-row", "data-testid": "overdue-task" },
        h("span", { class: "task-title" }, task.title),
        task.contact_id
          ? h("button", { type: "button", class: "link", "data-testid": "overdue-contact", onclick: () => void app.openContact(task.contact_id!, "reports") }, name)
          : h("span", { class: "muted" }, name),
        h("span", { class: "overdue-by" }, dueText(task, now), " · ", overdueText(task, now) ?? ""));
    })));
}
