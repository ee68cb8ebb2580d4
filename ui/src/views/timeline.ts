// The contact's communication log: quick-log buttons, filter chips by kind
// (only kinds the contact has), entries newest first, paged with "load more",
// and a two-step delete (the button asks "Really delete?" first).
import type { Shell } from "../shell";
import type { Activity } from "../bindings/Activity";
import type { ActivityKind } from "../bindings/ActivityKind";
import { h, replace } from "../dom";
import { formatDateTime, kindName, t, type MessageKey } from "../i18n";
import { ACTIVITY_KINDS } from "../generated/core";
import { button } from "./common";

/** A glyph per activity kind (decorative; the label is always shown next to it). */
export const KIND_ICONS: Record<ActivityKind, string> = {
  call: "☎", meeting: "◷", visit: "⌂", email: "✉", note: "✎", newsletter_signup: "✚",
  whitepaper_download: "⤓", webinar_attended: "▶", website_visit: "◎", email_opened: "✉",
  email_replied: "↩", form_submitted: "✓",
};

export class TimelineView {
  readonly el: HTMLElement;
  private readonly app: Shell;
  private readonly chips: HTMLElement;
  private readonly body: HTMLElement;

  constructor(app: Shell) {
    this.app = app;
    const quick = (kind: ActivityKind | null, label: MessageKey, title: MessageKey, key: string, testid: string) =>
      button(t(label), {
        testid, title: t(title), keys: key, kind: kind ? "plain" : "primary",
        onclick: () => app.openActivityDialog(kind),
      });
    this.chips = h("div", { class: "chips small", role: "group", "aria-label": t("timeline.filter") });
    this.body = h("div", { class: "timeline-body" });
    this.el = h(
      "section",
      { class: "card timeline-card", "aria-labelledby": "timeline-title" },
      h(
        "div",
        { class: "card-head" },
        h("h2", { id: "timeline-title" }, t("timeline.title")),
        h(
          "div",
          { class: "quick-log" },
          quick("call", "action.log_call", "action.log_call_title", "c", "log-call"),
          quick("visit", "action.log_visit", "action.log_visit_title", "v", "log-visit"),
          quick("note", "action.log_note", "action.log_note_title", "o", "log-note"),
          quick(null, "action.log_activity", "action.log_activity_title", "a", "log-activity"),
        ),
      ),
      this.chips,
      this.body,
    );
  }

  update(): void {
    const tl = this.app.timeline;
    if (!tl) return;
    const focused = document.activeElement as HTMLElement | null;
    const focusedId = this.el.contains(focused) ? focused?.dataset.testid : undefined;
    const present = ACTIVITY_KINDS.filter((k) => (tl.counts[k] ?? 0) > 0 || tl.kind === k);
    const all = present.reduce((sum, k) => sum + (tl.counts[k] ?? 0), 0);
    const chip = (kind: ActivityKind | null) => {
      const active = tl.kind === kind;
      return h(
        "button",
        {
          type: "button", class: `chip${active ? " active" : ""}`, "data-testid": `timeline-filter-${kind ?? "all"}`,
          "aria-pressed": String(active), onclick: () => this.app.setTimelineFilter(kind),
        },
        kind ? h("span", { class: "kind-icon", "aria-hidden": "true" }, KIND_ICONS[kind]) : null,
        h("span", { class: "chip-label" }, kind ? kindName(kind) : t("timeline.all")),
        h("span", { class: "chip-count" }, kind ? tl.counts[kind] ?? 0 : all),
      );
    };
    this.chips.hidden = present.length < 2 && tl.kind === null;
    replace(this.chips, chip(null), present.map(chip));

    const more = tl.items.length < tl.total;
    replace(
      this.body,
      tl.items.length
        ? h("ol", { class: "timeline", "data-testid": "timeline", tabindex: -1 }, tl.items.map((a) => this.entry(a)))
        : h("p", { class: "muted timeline-empty", "data-testid": "timeline", tabindex: -1 },
            tl.loading ? t("list.loading") : t(tl.kind ? "timeline.empty_filter" : "timeline.empty")),
      tl.items.length
        ? h(
            "div",
            { class: "list-footer" },
            h("span", { class: "muted" }, t("timeline.showing", { shown: tl.items.length, total: tl.total })),
            more
              ? h("button", {
                  type: "button", class: "btn", "data-testid": "timeline-load-more", disabled: tl.loading,
                  onclick: () => void this.app.loadTimeline(true),
                }, tl.loading ? t("list.loading") : t("timeline.load_more"))
              : null,
          )
        : null,
    );
    this.el.setAttribute("aria-busy", String(tl.loading));
    if (focusedId && !this.el.contains(document.activeElement)) {
      this.el.querySelector<HTMLElement>(`[data-testid="${focusedId}"]`)?.focus();
    }
  }

  private entry(a: Activity): HTMLElement {
    const block = (label: MessageKey, value: string | null, cls: string) =>
      value
        ? h("div", { class: `act-block ${cls}` }, h("span", { class: "act-label" }, t(label)), h("p", { class: "act-value" }, value))
        : null;
    let armed = false;
    const del = h("button", {
      type: "button", class: "btn btn-ghost act-delete", "data-testid": "activity-delete", title: t("timeline.delete_title"),
      onclick: () => {
        if (!armed) {
          armed = true;
          del.textContent = t("timeline.delete_confirm");
          del.classList.add("armed");
          return;
        }
        void this.app.deleteActivity(a.id);
      },
      onblur: () => {
        armed = false;
        del.textContent = t("timeline.delete");
        del.classList.remove("armed");
      },
    }, t("timeline.delete"));
    return h(
      "li",
      { class: `timeline-entry kind-${a.kind}`, "data-testid": "timeline-entry", "data-id": a.id, "data-kind": a.kind },
      h("span", { class: "kind-icon big", "aria-hidden": "true" }, KIND_ICONS[a.kind]),
      h(
        "div",
        { class: "act-main" },
        h(
          "div",
          { class: "act-head" },
          h("span", { class: "act-kind" }, kindName(a.kind)),
          h("time", { datetime: a.at, class: "muted" }, formatDateTime(a.at)),
          a.edits.length
            ? h("span", { class: "muted act-edited", "data-testid": "activity-edited", title: editedTitle(a) }, t("timeline.edited"))
            : null,
          h("span", { class: "spacer" }),
          h("button", {
            type: "button", class: "btn btn-ghost act-edit", "data-testid": "activity-edit", title: t("timeline.edit_title"),
            onclick: () => this.app.editActivity(a),
          }, t("action.edit")),
          del,
        ),
        a.summary ? h("p", { class: "act-summary" }, a.summary) : null,
        a.text ? h("p", { class: "act-text" }, a.text) : null,
        block("activity.outcome", a.outcome, "outcome"),
        block("activity.concerns", a.concerns, "concerns"),
        a.edits.length ? earlier(a) : null,
      ),
    );
  }
}

/** "Edited 07.12.2026, 10:15" for each edit. */
function editedTitle(a: Activity): string {
  return a.edits.map((e) => t("timeline.edited_at", { at: formatDateTime(e.edited_at) })).join("\n");
}

/** The versions an edit replaced, newest first, folded away. */
function earlier(a: Activity): HTMLElement {
  return h("details", { class: "act-history", "data-testid": "activity-history" },
    h("summary", null, t("timeline.earlier", { n: a.edits.length })),
    h("ol", { class: "plain-list" }, a.edits.slice().reverse().map((e) => h("li", { "data-testid": "activity-version" },
      h("span", { class: "muted" }, `${t("timeline.edited_at", { at: formatDateTime(e.edited_at) })} · ${t("timeline.was")} `),
      h("span", null, [kindName(e.kind), formatDateTime(e.at), e.summary, e.outcome].filter(Boolean).join(" · "))))));
}
