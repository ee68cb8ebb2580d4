// The import wizard (a large dialog): 1 choose a file (the backend opens the
// native dialog), 2 preview with format, preset, column mapping, source and
// "merge duplicates", the first records and totals, 3 progress fed by the
// backend's import-progress event with Cancel, 4 the report (imported, merged,
// skipped, every rejected record with its line). Nothing is written before
// the user starts the import in step 2.
import type { Shell } from "../shell";
import type { ChosenFile } from "../bindings/ChosenFile";
import type { Field } from "../bindings/Field";
import type { ImportOptions } from "../bindings/ImportOptions";
import type { ImportPreview } from "../bindings/ImportPreview";
import type { ImportProgress } from "../bindings/ImportProgress";
import type { ImportReport } from "../bindings/ImportReport";
import type { Preset } from "../bindings/Preset";
import type { PreviewRow } from "../bindings/PreviewRow";
import type { RowError } from "../bindings/RowError";
import type { RowWarning } from "../bindings/RowWarning";
import { h, replace, type Child } from "../dom";
import { errorText, formatNumber, plural, t, type MessageKey } from "../i18n";
import * as ipc from "../ipc";
import { button, stageBadge } from "./common";

export const PRESETS: readonly Preset[] = ["auto", "google", "outlook", "hubspot", "generic"];
export const FIELDS: readonly Field[] = [
  "ignore", "salutation", "first_name", "middle_name", "last_name", "display_name", "organization", "title", "email", "phone",
  "street", "postcode", "city", "region", "country", "website", "tags", "notes", "note_line", "source", "stage",
];

type Step = "choose" | "preview" | "running" | "report";

export const presetName = (p: Preset) => t(`import.preset.${p}` as MessageKey);
export const importFieldName = (f: Field) => t(`import.field.${f}` as MessageKey);

/** A rejected record in the UI language: "Zeile 4: Datensatz ohne Namen (record has no name)". */
export function rowErrorText(e: RowError): string {
  const key = `import.err.${e.code}` as MessageKey;
  const message = t(key) !== key ? t(key) : errorText({ code: e.code, message: e.reason, field: null, from: null, to: null });
  return t("import.at_line", { line: e.line, text: message });
}

/** A warning in the UI language (the English `reason` is the fallback). */
export function warningText(w: RowWarning): string {
  const key = `import.warn.${w.code}` as MessageKey;
  return t(key) !== key ? t(key, { value: w.value }) : w.reason;
}

function delimiterName(d: string | null): string {
  if (d === null) return "—";
  if (d === ";") return t("import.delim.semicolon");
  if (d === ",") return t("import.delim.comma");
  if (d === "\t") return t("import.delim.tab");
  return `“${d}”`;
}

export function importWizard(app: Shell): void {
  let step: Step = "choose";
  let file: ChosenFile | null = null;
  const options: ImportOptions = { format: "auto", preset: "auto", mapping: null, source: null, merge_duplicates: true };
  let preview: ImportPreview | null = null;
  let loading = false;
  let progress: ImportProgress = { done: 0, total: 0 };
  let report: ImportReport | null = null;
  let cancelling = false;
  let seq = 0;
  /** Something was written: the list must be refreshed when the wizard closes. */
  let wrote = false;
  let closed = false;

  const dialog = h("dialog", { class: "dialog wide import-dialog", "data-testid": "import-dialog", "aria-labelledby": "import-title" });
  const errors = h("div", { class: "error-slot", "data-slot": "import" });
  const focus = (id: string) => dialog.querySelector<HTMLElement>(`[data-testid="${id}"]`)?.focus();

  const loadPreview = async () => {
    const mine = ++seq;
    loading = true;
    render();
    try {
      const p = await ipc.importPreview({ ...options });
      if (mine !== seq) return;
      preview = p;
      if (options.source === null) options.source = p.source;
      app.clearError();
    } catch (e) {
      if (mine === seq) app.showError(e, errors);
    } finally {
      if (mine === seq) {
        loading = false;
        render();
      }
    }
  };

  const choose = async () => {
    try {
      const chosen = await ipc.chooseImportFile();
      if (!chosen) return; // the user cancelled the native dialog
      file = chosen;
      Object.assign(options, { format: "auto", preset: "auto", mapping: null, source: null });
      preview = null;
      step = "preview";
      await loadPreview();
      focus(preview ? "import-run" : "import-choose");
    } catch (e) {
      app.showError(e, errors);
    }
  };

  const run = async () => {
    if (!preview || loading) return;
    step = "running";
    progress = { done: 0, total: preview.total };
    cancelling = false;
    render();
    focus("import-cancel");
    try {
      report = await ipc.importRun({ ...options }, (p) => {
        progress = p;
        updateProgress();
      });
      wrote = true;
      if (closed) return void app.dataChanged();
      step = "report";
      render();
      focus("import-done");
    } catch (e) {
      wrote = true; // records before the failure may be stored
      step = "preview";
      render();
      app.showError(e, errors);
    }
  };

  const cancel = async () => {
    if (cancelling) return;
    cancelling = true;
    updateProgress();
    try {
      await ipc.cancelImport();
    } catch (e) {
      app.showError(e, errors);
    }
  };

  // ---- rendering -------------------------------------------------------------

  const chooseBlock = (): HTMLElement =>
    h(
      "div",
      { class: "import-file" },
      button(file ? t("import.choose_other") : t("import.choose"), {
        testid: "import-choose", kind: file ? "plain" : "primary", onclick: () => void choose(),
      }),
      file ? h("span", { class: "import-file-name", "data-testid": "import-file-name" }, file.name) : null,
    );

  const stepChoose = (): Child[] => [
    h("p", null, t("import.intro")),
    h("ul", { class: "plain import-formats" },
      h("li", null, t("import.formats_csv")),
      h("li", null, t("import.formats_vcard")),
      h("li", null, t("import.formats_json"))),
    chooseBlock(),
  ];

  const mappingTable = (p: ImportPreview): HTMLElement =>
    h(
      "table",
      { class: "import-table mapping", "data-testid": "import-mapping" },
      h("caption", { class: "label" }, t("import.mapping")),
      h("thead", null, h("tr", null,
        h("th", { scope: "col" }, t("import.col_header")),
        h("th", { scope: "col" }, t("import.col_sample")),
        h("th", { scope: "col" }, t("import.col_field")))),
      h("tbody", null, p.columns.map((c) => {
        const id = `import-field-${c.index}`;
        const sel = h(
          "select",
          {
            id, "data-testid": "import-field-select", "data-index": c.index, disabled: loading,
            onchange: () => {
              const mapping = p.columns.map((x) => x.field);
              mapping[c.index] = sel.value as Field;
              options.mapping = mapping;
              void loadPreview().then(() => dialog.querySelector<HTMLElement>(`#${id}`)?.focus());
            },
          },
          FIELDS.map((f) => h("option", { value: f, selected: f === c.field }, importFieldName(f))),
        );
        return h(
          "tr",
          { "data-testid": "import-mapping-row", class: c.field === "ignore" ? "ignored" : "" },
          h("th", { scope: "row" }, h("label", { for: id }, c.header || t("import.no_header", { n: c.index + 1 }))),
          h("td", { class: "muted sample" }, c.sample ?? ""),
          h("td", null, sel),
        );
      })),
    );

  const rowStatus = (r: PreviewRow): Child[] => {
    const out: Child[] = [];
    if (r.organization_only) out.push(h("span", { class: "muted", "data-testid": "import-row-org" }, t("import.org_only")));
    if (r.error) out.push(h("span", { class: "row-error", "data-testid": "import-row-error" }, rowErrorText(r.error),
      h("span", { class: "muted reason" }, ` (${r.error.reason})`)));
    if (r.duplicate_of) {
      out.push(h("span", { class: "row-dup", "data-testid": "import-row-duplicate" },
        t(options.merge_duplicates ? "import.will_merge" : "import.maybe_duplicate", { name: r.duplicate_of.display_name })));
    }
    if (r.similar_to) {
      out.push(h("span", { class: "row-dup", "data-testid": "import-row-similar" },
        t("import.similar_to", { name: r.similar_to.display_name })));
    }
    r.warnings.forEach((w) => out.push(h("span", { class: "row-warning", "data-testid": "import-row-warning" }, warningText(w))));
    return out;
  };

  const rowsTable = (p: ImportPreview): HTMLElement =>
    h(
      "table",
      { class: "import-table rows", "data-testid": "import-rows" },
      h("caption", { class: "label" }, t("import.first_rows", { n: p.rows.length })),
      h("thead", null, h("tr", null,
        ["import.col_line", "field.name", "field.organization", "field.emails", "field.phones", "field.stage", "import.col_notes"]
          .map((k) => h("th", { scope: "col" }, t(k as MessageKey))))),
      h("tbody", null, p.rows.map((r) => {
        const c = r.contact;
        const name = c ? c.display_name || `${c.first_name} ${c.last_name}`.trim() : "";
        return h(
          "tr",
          { "data-testid": "import-row", "data-line": r.line, class: r.error ? "rejected" : r.duplicate_of ? "duplicate" : "" },
          h("td", { class: "num muted" }, r.line),
          h("td", null, name),
          h("td", null, c?.organization ?? ""),
          h("td", null, (c?.emails ?? []).join(", ")),
          h("td", null, (c?.phones ?? []).join(", ")),
          h("td", null, r.error || r.organization_only ? null : stageBadge(r.stage)),
          h("td", null, h("div", { class: "status" }, rowStatus(r))),
        );
      })),
    );

  const stepPreview = (): Child[] => {
    const p = preview;
    if (!p) return [chooseBlock(), h("p", { class: "muted" }, loading ? t("import.loading") : "")];
    const csv = p.format === "csv";
    const presetSel = h(
      "select",
      {
        id: "import-preset", "data-testid": "import-preset", disabled: loading,
        onchange: () => {
          options.preset = presetSel.value as Preset;
          options.mapping = null; // the preset's own mapping
          void loadPreview().then(() => focus("import-preset"));
        },
      },
      PRESETS.map((x) => h("option", { value: x, selected: x === options.preset },
        x === "auto" && p.preset && p.preset !== "auto" ? t("import.preset_detected", { name: presetName(p.preset) }) : presetName(x))),
    );
    const source = h("input", {
      id: "import-source", type: "text", "data-testid": "import-source", value: options.source ?? p.source, autocomplete: "off",
      oninput: () => { options.source = source.value.trim() || null; },
    });
    const merge = h("input", {
      type: "checkbox", "data-testid": "import-merge", checked: options.merge_duplicates,
      onchange: () => {
        options.merge_duplicates = merge.checked;
        render();
        focus("import-merge");
      },
    });
    return [
      chooseBlock(),
      h(
        "div",
        { class: "import-preview", "data-testid": "import-preview", "aria-busy": String(loading) },
        h(
          "dl",
          { class: "fields compact import-meta" },
          h("dt", null, t("import.format")), h("dd", { "data-testid": "import-format" }, t(`import.format.${p.format}` as MessageKey)),
          h("dt", null, t("import.encoding")), h("dd", { "data-testid": "import-encoding" }, p.encoding),
          csv ? [h("dt", null, t("import.delimiter")), h("dd", { "data-testid": "import-delimiter" }, delimiterName(p.delimiter))] : null,
        ),
        csv ? h("div", { class: "field" }, h("label", { for: "import-preset", class: "label" }, t("import.preset")), presetSel) : null,
        csv && p.columns.length ? mappingTable(p) : null,
        h(
          "div",
          { class: "grid2" },
          h("div", { class: "field" },
            h("label", { for: "import-source", class: "label" }, t("field.source")), source,
            h("span", { class: "hint" }, t("import.source_hint"))),
          h("label", { class: "check import-merge" }, merge,
            h("span", null, h("span", { class: "label" }, t("import.merge")), h("br"), h("span", { class: "hint" }, t("import.merge_hint")))),
        ),
        h(
          "p",
          { class: "import-totals", "data-testid": "import-totals" },
          h("span", { "data-testid": "import-total" }, plural("import.total", p.total)),
          " · ",
          h("span", { "data-testid": "import-rejected", class: p.rejected ? "bad" : "" }, plural("import.rejected", p.rejected)),
          " · ",
          h("span", { "data-testid": "import-duplicates" }, plural("import.duplicates", p.duplicates)),
          p.similar ? [" · ", h("span", { "data-testid": "import-similar" }, plural("import.similar", p.similar))] : null,
        ),
        p.rows.length ? rowsTable(p) : h("p", { class: "muted" }, t("import.no_records")),
        p.rows.length < p.total ? h("p", { class: "hint" }, t("import.more_rows", { n: p.total - p.rows.length })) : null,
      ),
    ];
  };

  const bar = h("progress", { "data-testid": "import-progress-bar", max: 1, value: 0 });
  const barText = h("p", { class: "muted", "data-testid": "import-progress-text", "aria-live": "polite" });
  const updateProgress = () => {
    bar.max = Math.max(1, progress.total);
    bar.value = progress.done;
    barText.textContent = t("import.progress", { done: formatNumber(progress.done), total: formatNumber(progress.total) });
    const c = dialog.querySelector<HTMLButtonElement>('[data-testid="import-cancel"]');
    if (c) {
      c.disabled = cancelling;
      c.textContent = cancelling ? t("import.cancelling") : t("import.cancel");
    }
  };

  const stepRunning = (): Child[] => {
    updateProgress();
    return [h("div", { class: "import-running", "data-testid": "import-progress" },
      h("p", null, t("import.running", { name: file?.name ?? "" })), bar, barText)];
  };

  const stepReport = (): Child[] => {
    const r = report!;
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
  };

  const footer = (): Child[] => {
    if (step === "running") return [button(t("import.cancel"), { testid: "import-cancel", onclick: () => void cancel() })];
    if (step === "report") return [button(t("import.done"), { testid: "import-done", kind: "primary", onclick: () => app.closeModal() })];
    const close = button(t("action.cancel"), { testid: "cancel", onclick: () => app.closeModal() });
    if (step === "choose" || !preview) return [close];
    const n = preview.total - preview.rejected;
    return [close, h("button", {
      type: "button", class: "btn btn-primary", "data-testid": "import-run", disabled: loading || n === 0,
      onclick: () => void run(),
    }, plural("import.run", n))];
  };

  const render = () => {
    const body = step === "choose" ? stepChoose() : step === "preview" ? stepPreview() : step === "running" ? stepRunning() : stepReport();
    const steps: [Step, MessageKey][] = [["choose", "import.step_choose"], ["preview", "import.step_preview"], ["running", "import.step_run"], ["report", "import.step_report"]];
    const at = steps.findIndex(([s]) => s === step);
    replace(
      dialog,
      h(
        "div",
        { class: "dialog-form" },
        h("h2", { id: "import-title" }, t("import.title")),
        h("ol", { class: "wizard-steps", "aria-label": t("import.steps") }, steps.map(([, key], i) =>
          h("li", { class: i === at ? "active" : i < at ? "done" : "", "aria-current": i === at ? "step" : null }, t(key)))),
        body,
        errors,
        h("footer", { class: "dialog-actions" }, footer()),
      ),
    );
  };

  render();
  app.openModal(dialog, render, () => {
    closed = true;
    if (step === "running") void ipc.cancelImport().catch(() => {});
    if (wrote) void app.dataChanged();
  });
  focus("import-choose");
}
