// Step 4: what the import did: imported, merged, skipped, every rejected
// record with its line and reason, the possible duplicates to review, and
// the warnings.
import type { ImportReport } from "../../bindings/ImportReport";
import { h, type Child } from "../../dom";
import { formatNumber, plural, t, type MessageKey } from "../../i18n";
import type { Shell } from "../../shell";
import { button } from "../common";
import { rowErrorText, warningText } from "./texts";

export function reportStep(app: Shell, r: ImportReport): Child[] {
  const stat = (id: string, n: number, key: MessageKey) =>
    h("div", { class: "stat", "data-testid": id }, h("span", { class: "stat-num" }, formatNumber(n)), h("span", { class: "stat-label" }, t(key)));
  return [h(
    "div",
    { class: "import-report", "data-testid": "import-report" },
    r.cancelled ? h("p", { class: "alert-note", "data-testid": "report-cancelled" }, t("import.report_cancelled")) : null,
    h("div", { class: "stats" },
      stat("report-imported", r.imported, "import.report_imported"),
      stat("report-merged", r.merged, "import.report_merged"),
      stat("report-skipped", r.skipped, "import.report_skipped"),
      stat("report-rejected", r.errors.length, "import.report_rejected")),
    r.errors.length
      ? h("section", null, h("h3", null, t("import.report_errors")),
          h("ul", { class: "plain report-list" }, r.errors.map((e) =>
            h("li", { "data-testid": "report-error" }, rowErrorText(e), h("span", { class: "muted reason" }, ` (${e.reason})`)))))
      : null,
    r.possible_duplicates
      ? h("p", { class: "alert-note", "data-testid": "report-possible-duplicates" },
          plural("import.report_possible_duplicates", r.possible_duplicates), " ",
          button(t("import.review_duplicates"), {
            testid: "report-review-duplicates", kind: "ghost",
            onclick: () => { app.closeModal(); app.openDuplicates(); },
          }))
      : null,
    r.warnings.length
      ? h("section", null, h("h3", null, t("import.report_warnings")),
          h("ul", { class: "plain report-list" }, r.warnings.map((w) =>
            h("li", { "data-testid": "report-warning" }, t("import.at_line", { line: w.line, text: warningText(w) })))))
      : null,
  )];
}
