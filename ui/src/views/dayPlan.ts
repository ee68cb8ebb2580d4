// The day plan: a day, a start (home or office, from the settings) and the
// customers to visit, picked from suggestions (a task due, an open deal
// whose next step is a visit, not visited for their stage's interval, near
// a chosen one). Kontor orders them by the shortest route it finds, shows
// arrival times fitted around the day's appointments, estimated road
// kilometres (straight line × the detour factor) and driving time, opens
// the route in the map app, and puts the visits in the calendar.
import type { Candidate } from "../bindings/Candidate";
import type { VisitReason } from "../bindings/VisitReason";
import { h, replace } from "../dom";
import { formatNumber, formatTime, t } from "../i18n";
import type { Shell } from "../shell";
import { button } from "./common";
import type { CalendarActions } from "./calendarTypes";
import { nearbyWho, radiusSelect } from "./nearby";

function reasonText(r: VisitReason): string {
  switch (r.kind) {
    case "task_due": return t("plan.reason.task", { title: r.title });
    case "deal_visit": return t("plan.reason.deal", { deal: r.deal });
    case "not_visited": return r.days === null ? t("plan.reason.never") : t("plan.reason.days", { n: r.days });
    case "nearby": return t("plan.reason.nearby", { km: formatNumber(r.km, 1) });
    default: return t("plan.reason.chosen");
  }
}

function located(kind: Candidate["located"]): string | null {
  return kind === "postcode" ? t("plan.located_postcode") : null;
}

export class DayPlanView {
  readonly el: HTMLElement;

  constructor(private readonly app: Shell, private readonly actions: CalendarActions) {
    this.el = h("div", { class: "day-plan", "data-testid": "day-plan" });
  }

  update(): void {
    const { app, actions } = this;
    const p = actions.state.plan;
    const data = p.data;
    const date = h("input", { id: "plan-date", type: "date", "data-testid": "plan-date", value: p.request.date }) as HTMLInputElement;
    const start = h("input", {
      id: "plan-start", type: "text", "data-testid": "plan-start", autocomplete: "off",
      value: p.request.start ?? app.settings.field.home_address, placeholder: t("plan.start_placeholder"),
    }) as HTMLInputElement;
    const max = h("input", { id: "plan-max", type: "number", min: 1, max: 30, class: "num-input", "data-testid": "plan-max", value: String(p.request.max ?? 6) }) as HTMLInputElement;
    const request = () => ({ date: date.value, start: start.value.trim() || null, max: Number(max.value) || 6, contact_ids: null });
    const form = h("form", {
      class: "plan-form card", "data-testid": "plan-form",
      onsubmit: (ev: Event) => { ev.preventDefault(); void actions.plan(request(), null); },
    },
    h("div", { class: "field" }, h("label", { for: "plan-date", class: "label" }, t("plan.date")), date),
    h("div", { class: "field grow" }, h("label", { for: "plan-start", class: "label" }, t("plan.start")), start),
    h("div", { class: "field" }, h("label", { for: "plan-max", class: "label" }, t("plan.max")), max),
    h("button", { type: "submit", class: "btn btn-primary", "data-testid": "plan-suggest" }, t("plan.suggest")));
    if (!app.settings.field.home_address && !p.request.start) {
      form.append(h("p", { class: "hint wide" }, t("plan.no_home"), " ",
        h("button", { type: "button", class: "link", onclick: () => app.openSettings("field") }, t("plan.no_home_link"))));
    }
    const parts: HTMLElement[] = [form];
    if (p.loading) parts.push(h("p", { class: "muted", role: "status" }, t("plan.planning")));
    if (data) {
      const plan = data.plan;
      const chosen = p.chosen;
      const toggle = (id: string, on: boolean) => {
        if (on) chosen.add(id);
        else chosen.delete(id);
      };
      const stops = h("section", { class: "card plan-stops", "data-testid": "plan-stops", "aria-labelledby": "plan-stops-title" },
        h("div", { class: "card-head" },
          h("h2", { id: "plan-stops-title" }, t("plan.route"), h("span", { class: "muted card-sub" }, ` · ${t("plan.from", { start: plan.start_address })}`)),
          h("div", { class: "spacer" }),
          plan.stops.length ? button(t("plan.open_route"), { testid: "plan-open-route", onclick: () => actions.openMap(plan.directions_url) }) : null,
          plan.stops.length ? button(t("plan.save"), { testid: "plan-save", kind: "primary", onclick: () => void actions.savePlan() }) : null),
        plan.stops.length
          ? h("ol", { class: "plain-list stop-list" }, plan.stops.map((s, i) => h("li", { class: `stop${s.fits ? "" : " late"}`, "data-testid": "plan-stop", "data-id": s.contact_id },
              h("span", { class: "stop-n", "aria-hidden": "true" }, String(i + 1)),
              h("div", { class: "stop-main" },
                h("div", null, h("span", { class: "strong", "data-testid": "plan-stop-name" }, s.organization ?? s.name), s.organization ? h("span", { class: "muted" }, ` · ${s.name}`) : null),
                h("div", { class: "muted" }, [s.address, located(s.located), reasonText(s.reason)].filter(Boolean).join(" · ")),
                s.fits ? null : h("div", { class: "warn-text" }, t("plan.after_hours"))),
              h("div", { class: "stop-time num", "data-testid": "plan-stop-time" }, `${formatTime(new Date(s.arrive))}–${formatTime(new Date(s.leave))}`),
              h("div", { class: "stop-km num muted", "data-testid": "plan-stop-km" }, t("plan.leg", { km: formatNumber(s.distance_km, 1), min: s.drive_minutes })),
              h("a", { class: "btn btn-ghost", href: s.geo, "data-testid": "plan-stop-geo", title: t("plan.geo_title"),
                onclick: (ev: MouseEvent) => { ev.preventDefault(); actions.openMap(s.geo); } }, t("plan.geo")))))
          : h("p", { class: "muted" }, t("plan.no_stops")),
        plan.stops.length
          ? h("p", { class: "plan-total", "data-testid": "plan-total" },
              h("strong", null, t("plan.total", { km: formatNumber(plan.total_km, 1), h: Math.floor(plan.driving_minutes / 60), min: String(plan.driving_minutes % 60).padStart(2, "0") })),
              h("span", { class: "muted" }, ` · ${t("plan.estimate", { factor: formatNumber(plan.road_factor, 1), kmh: formatNumber(plan.average_kmh) })}`))
          : null,
        data.appointments.length
          ? h("p", { class: "muted" }, t("plan.around", { n: data.appointments.length }))
          : null);
      const inPlan = new Set(plan.stops.map((s) => s.contact_id));
      const suggestions = data.suggestions.filter((c) => !inPlan.has(c.contact_id));
      const list = h("section", { class: "card plan-suggestions", "data-testid": "plan-suggestions", "aria-labelledby": "plan-sugg-title" },
        h("div", { class: "card-head" },
          h("h2", { id: "plan-sugg-title" }, t("plan.suggestions")),
          h("div", { class: "spacer" }),
          button(t("plan.replan"), {
            testid: "plan-replan",
            onclick: () => void actions.plan({ ...request(), contact_ids: [...chosen] }, [...chosen]),
          })),
        h("p", { class: "hint" }, t("plan.pick_hint")),
        h("ul", { class: "plain-list" },
          [...plan.stops.map((s) => ({ id: s.contact_id, name: s.organization ?? s.name, sub: s.name, km: null as number | null, reason: s.reason })),
            ...suggestions.map((c) => ({ id: c.contact_id, name: c.organization ?? c.name, sub: c.name, km: c.from_start_km, reason: c.reason }))]
            .map((c) => h("li", { class: "sugg-row" },
              h("label", { class: "check" },
                h("input", { type: "checkbox", "data-testid": "plan-pick", "data-id": c.id, checked: chosen.has(c.id), onchange: (ev: Event) => toggle(c.id, (ev.target as HTMLInputElement).checked) }),
                h("span", null, h("span", { class: "strong" }, c.name), c.sub !== c.name ? h("span", { class: "muted" }, ` · ${c.sub}`) : null)),
              h("span", { class: "muted" }, [reasonText(c.reason), c.km === null ? null : t("plan.km_from_start", { km: formatNumber(c.km, 1) })].filter(Boolean).join(" · ")))),
        ),
        suggestions.length === 0 && plan.stops.length === 0 ? h("p", { class: "muted" }, t("plan.no_suggestions")) : null);
      parts.push(h("div", { class: "plan-grid" }, stops, list));
    }
    parts.push(this.nearbyCard(start.value));
    replace(this.el, ...parts);
  }

  /** Customers near an address (the start by default), nearest first; a tick adds one to the plan. */
  private nearbyCard(start: string): HTMLElement {
    const { actions } = this;
    const p = actions.state.plan;
    const address = h("input", { id: "nearby-address", type: "text", "data-testid": "nearby-address", autocomplete: "off", value: start }) as HTMLInputElement;
    const km = radiusSelect(25, { id: "nearby-km", "data-testid": "nearby-km" });
    return h("section", { class: "card plan-nearby", "data-testid": "plan-nearby", "aria-labelledby": "plan-nearby-title" },
      h("h2", { id: "plan-nearby-title" }, t("plan.nearby")),
      h("form", { class: "plan-form inline", onsubmit: (ev: Event) => { ev.preventDefault(); void actions.nearbyAddress(address.value.trim(), Number(km.value)); } },
        h("div", { class: "field grow" }, h("label", { for: "nearby-address", class: "label" }, t("plan.nearby_address")), address),
        h("div", { class: "field" }, km),
        h("button", { type: "submit", class: "btn", "data-testid": "nearby-search" }, t("plan.nearby_search"))),
      p.nearby === null ? null
        : p.nearby.length
          ? h("ol", { class: "plain-list nearby-list", "data-testid": "plan-nearby-list" }, p.nearby.map((n) => h("li", { class: "sugg-row" },
              h("label", { class: "check" },
                h("input", { type: "checkbox", "data-testid": "nearby-pick", "data-id": n.contact_id, checked: p.chosen.has(n.contact_id),
                  onchange: (ev: Event) => { if ((ev.target as HTMLInputElement).checked) p.chosen.add(n.contact_id); else p.chosen.delete(n.contact_id); } }),
                h("span", null, nearbyWho(n))))))
          : h("p", { class: "muted" }, t("plan.nearby_none")));
  }
}
