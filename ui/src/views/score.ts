// The explainable score: the big number with its fit and engagement parts,
// the line items in the UI language, the qualification checklist, and the
// proposal badge with its Accept button.
import type { Shell } from "../shell";
import type { Answer } from "../bindings/Answer";
import type { ContactDetail } from "../bindings/ContactDetail";
import type { Score } from "../bindings/Score";
import type { ScoreLine } from "../bindings/ScoreLine";
import type { TargetGroupSetting } from "../bindings/TargetGroupSetting";
import { h } from "../dom";
import { answerName, formatPoints, scoreLineText, stageName, t, type MessageKey } from "../i18n";
import * as ipc from "../ipc";
import { ANSWERS, CRITERIA, type Criterion } from "../settings";
import { button } from "./common";

/** The line items of a score as a list (`score-lines` / `score-line`, or other test ids in the list popover). */
export function scoreLineList(lines: ScoreLine[], testid = "score-lines", itemTestid = "score-line"): HTMLElement {
  if (!lines.length) return h("p", { class: "muted", "data-testid": testid }, t("score.no_lines"));
  return h(
    "ul",
    { class: "score-lines", "data-testid": testid },
    lines.map((line) => {
      const text = scoreLineText(line);
      const points = formatPoints(line.points);
      // The points are shown in their own column; the rest of the sentence after them.
      const rest = text.startsWith(points) ? text.slice(points.length).trimStart() : text;
      return h(
        "li",
        {
          class: `score-line part-${line.part}${line.points > 0 ? "" : line.points < 0 ? " cut" : " zero"}`, "data-testid": itemTestid,
          "data-key": line.key, title: line.reason,
        },
        h("span", { class: "pts" }, points),
        h("span", { class: "why" }, " ", rest),
      );
    }),
  );
}

export function scoreCard(score: Score): HTMLElement {
  const part = (label: MessageKey, value: number, testid: string) =>
    h(
      "div",
      { class: "score-part" },
      h("span", { class: "score-part-label" }, t(label)),
      h("span", { class: "score-part-value" }, h("b", { "data-testid": testid }, Math.round(value)), " ", h("span", { class: "muted" }, t("score.out_of", { max: 50 }))),
      h("span", { class: `meter meter-${testid}`, "aria-hidden": "true" },
        h("span", { class: "meter-fill", style: null, "data-pct": Math.round((value / 50) * 100) })),
    );
  const card = h(
    "section",
    { class: "card score-card", "data-testid": "score", "aria-labelledby": "score-title" },
    h("h2", { id: "score-title", class: "sr-only" }, t("score.title")),
    h(
      "div",
      { class: "score-head" },
      h(
        "div",
        { class: "score-big", title: t("score.title") },
        h("span", { class: "score-total", "data-testid": "score-total" }, Math.round(score.score)),
        h("span", { class: "score-max muted" }, "/100"),
      ),
      h("div", { class: "score-parts" }, part("score.fit", score.fit, "score-fit"), part("score.engagement", score.engagement, "score-engagement")),
    ),
    scoreLineList(score.lines),
  );
  // Meter widths go through the CSSOM (the CSP forbids inline style attributes).
  card.querySelectorAll<HTMLElement>(".meter-fill").forEach((el) => { el.style.width = `${el.dataset.pct}%`; });
  return card;
}

/** "Bereit für Interessent (MQL)" with Accept, shown next to the stage when there is a proposal. */
export function proposalBadge(app: Shell, detail: ContactDetail): HTMLElement | null {
  const c = detail.contact;
  if (!c.proposal) return null;
  return h(
    "div",
    { class: "proposal" },
    h("span", { class: `badge proposal-badge stage-${c.proposal}`, "data-testid": "proposal-badge", "data-stage": c.proposal },
      "★ ", t("proposal.ready", { stage: stageName(c.proposal) })),
    button(t("proposal.accept"), {
      testid: "accept-proposal", kind: "primary", title: t("proposal.accept_title"), keys: "q",
      onclick: () => void app.acceptProposal(c.id),
    }),
  );
}

/** The five criteria, each a yes/no/unknown segmented control; target group also offers "auto". */
export function criteriaCard(app: Shell, detail: ContactDetail): HTMLElement {
  const c = detail.contact;
  let busy = false;
  const set = async (name: Criterion, value: Answer | "auto", testid: string) => {
    if (busy) return;
    busy = true;
    try {
      const update = { target_group: null, budget: null, authority: null, need: null, timeline: null } as Record<Criterion, Answer | TargetGroupSetting | null>;
      update[name] = value;
      const updated = await ipc.setCriteria(c.id, update as never);
      app.contactChanged(updated, { focus: testid });
    } catch (e) {
      app.showError(e);
    } finally {
      busy = false;
    }
  };
  const row = (name: Criterion) => {
    const current = c.criteria[name];
    const auto = name === "target_group" && !c.target_group_manual;
    const labelId = `crit-${name}`;
    const seg = (value: Answer | "auto", label: string, pressed: boolean, title?: string) => {
      const testid = `criterion-${name}-${value}`;
      return h("button", {
        type: "button", class: `seg seg-${value}${pressed ? " on" : ""}${auto && value !== "auto" && pressed ? " derived" : ""}`,
        "data-testid": testid, "aria-pressed": String(pressed), title,
        // Pressing the current choice again changes nothing (except taking a derived target group over by hand).
        onclick: () => { if (!(pressed && (value === "auto" || !auto))) void set(name, value, testid); },
        onkeydown: (ev: KeyboardEvent) => {
          if (ev.key !== "ArrowRight" && ev.key !== "ArrowLeft") return;
          ev.preventDefault();
          const group = (ev.currentTarget as HTMLElement).parentElement!;
          const all = Array.from(group.querySelectorAll<HTMLElement>("button"));
          const i = all.indexOf(ev.currentTarget as HTMLElement);
          all[(i + (ev.key === "ArrowRight" ? 1 : all.length - 1)) % all.length].focus();
        },
      }, label);
    };
    return h(
      "li",
      { class: "criterion", "data-criterion": name, "data-answer": current },
      h(
        "div",
        { class: "crit-label" },
        h("span", { id: labelId }, t(`criterion.${name}` as MessageKey)),
        name === "target_group"
          ? h("span", { class: "hint crit-source", "data-testid": "target-group-source" }, t(auto ? "qual.tg_auto" : "qual.tg_manual"))
          : null,
      ),
      h(
        "div",
        { class: "segmented", role: "group", "aria-labelledby": labelId },
        ANSWERS.map((a) => seg(a, answerName(a), current === a)),
        name === "target_group" ? seg("auto", t("answer.auto"), auto, t("qual.tg_auto_title")) : null,
      ),
    );
  };
  return h(
    "section",
    { class: "card", "aria-labelledby": "criteria-title" },
    h("h2", { id: "criteria-title" }, t("qual.title")),
    h("ul", { class: "criteria", "data-testid": "criteria" }, CRITERIA.map(row)),
  );
}
