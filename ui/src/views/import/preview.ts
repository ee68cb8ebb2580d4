// Step 2: what importing the file would do, before anything is written:
// format, encoding and delimiter, the column layout (preset) and each
// column's field, the source, "merge duplicates", the totals and the first
// records with their errors, duplicates and warnings.
import type { DuplicateChoice } from "../../bindings/DuplicateChoice";
import type { Field } from "../../bindings/Field";
import type { ImportPreview } from "../../bindings/ImportPreview";
import type { Preset } from "../../bindings/Preset";
import type { PreviewRow } from "../../bindings/PreviewRow";
import { h, type Child } from "../../dom";
import { plural, t, type MessageKey } from "../../i18n";
import { stageBadge } from "../common";
import { chooseBlock } from "./choose";
import type { Wizard } from "./model";
import { delimiterName, FIELDS, importFieldName, PRESETS, presetName, rowErrorText, warningText } from "./texts";

export function previewStep(w: Wizard): Child[] {
  const p = w.preview;
  if (!p) return [chooseBlock(w), h("p", { class: "muted" }, w.loading ? t("import.loading") : "")];
  const csv = p.format === "csv";
  return [
    chooseBlock(w),
    h(
      "div",
      { class: "import-preview", "data-testid": "import-preview", "aria-busy": String(w.loading) },
      h(
        "dl",
        { class: "fields compact import-meta" },
        h("dt", null, t("import.format")), h("dd", { "data-testid": "import-format" }, t(`import.format.${p.format}` as MessageKey)),
        h("dt", null, t("import.encoding")), h("dd", { "data-testid": "import-encoding" }, p.encoding),
        csv ? [h("dt", null, t("import.delimiter")), h("dd", { "data-testid": "import-delimiter" }, delimiterName(p.delimiter))] : null,
      ),
      csv ? presetField(w, p) : null,
      csv && p.columns.length ? mappingTable(w, p) : null,
      optionsFields(w, p),
      totals(p),
      p.rows.length ? rowsTable(w, p) : h("p", { class: "muted" }, t("import.no_records")),
      p.rows.length < p.total ? h("p", { class: "hint" }, t("import.more_rows", { n: p.total - p.rows.length })) : null,
    ),
  ];
}

/** The column layout: recognised, or a program's export chosen by hand. */
function presetField(w: Wizard, p: ImportPreview): HTMLElement {
  const select = h(
    "select",
    {
      id: "import-preset", "data-testid": "import-preset", disabled: w.loading,
      onchange: () => {
        w.options.preset = select.value as Preset;
        w.options.mapping = null; // the preset's own mapping
        void w.loadPreview().then(() => w.focus("import-preset"));
      },
    },
    PRESETS.map((x) => h("option", { value: x, selected: x === w.options.preset },
      x === "auto" && p.preset && p.preset !== "auto" ? t("import.preset_detected", { name: presetName(p.preset) }) : presetName(x))),
  );
  return h("div", { class: "field" }, h("label", { for: "import-preset", class: "label" }, t("import.preset")), select);
}

/** Each column with an example value and the field it goes into (changeable). */
function mappingTable(w: Wizard, p: ImportPreview): HTMLElement {
  return h(
    "table",
    { class: "import-table mapping", "data-testid": "import-mapping" },
    h("caption", { class: "label" }, t("import.mapping")),
    h("thead", null, h("tr", null,
      h("th", { scope: "col" }, t("import.col_header")),
      h("th", { scope: "col" }, t("import.col_sample")),
      h("th", { scope: "col" }, t("import.col_field")))),
    h("tbody", null, p.columns.map((c) => {
      const id = `import-field-${c.index}`;
      const select = h(
        "select",
        {
          id, "data-testid": "import-field-select", "data-index": c.index, disabled: w.loading,
          onchange: () => {
            const mapping = p.columns.map((x) => x.field);
            mapping[c.index] = select.value as Field;
            w.options.mapping = mapping;
            void w.loadPreview().then(() => w.dialog.querySelector<HTMLElement>(`#${id}`)?.focus());
          },
        },
        FIELDS.map((f) => h("option", { value: f, selected: f === c.field }, importFieldName(f))),
      );
      return h(
        "tr",
        { "data-testid": "import-mapping-row", class: c.field === "ignore" ? "ignored" : "" },
        h("th", { scope: "row" }, h("label", { for: id }, c.header || t("import.no_header", { n: c.index + 1 }))),
        h("td", { class: "muted sample" }, c.sample ?? ""),
        h("td", null, select),
      );
    })),
  );
}

const CHOICES: readonly DuplicateChoice[] = ["merge", "new", "skip"];

/** A select of what a (possible) duplicate does. */
function choiceSelect(value: DuplicateChoice, testid: string, label: string, onchange: (c: DuplicateChoice) => void): HTMLSelectElement {
  const select = h(
    "select",
    { "data-testid": testid, "aria-label": label, class: "choice-select", onchange: () => onchange(select.value as DuplicateChoice) },
    CHOICES.map((c) => h("option", { value: c, selected: c === value }, t(`import.choice.${c}` as MessageKey))),
  );
  return select;
}

/** The rep's choice for one record; the preview is read again with it. */
function choose(w: Wizard, line: number, choice: DuplicateChoice): void {
  w.options.choices = [...w.options.choices.filter((c) => c.line !== line), { line, choice }];
  void w.loadPreview().then(() => w.dialog.querySelector<HTMLElement>(`[data-testid="import-row"][data-line="${line}"] select`)?.focus());
}

/** The source every imported contact gets, and whether duplicates are merged. */
function optionsFields(w: Wizard, p: ImportPreview): HTMLElement {
  const source = h("input", {
    id: "import-source", type: "text", "data-testid": "import-source", value: w.options.source ?? p.source, autocomplete: "off",
    oninput: () => { w.options.source = source.value.trim() || null; },
  });
  const merge = h("input", {
    type: "checkbox", "data-testid": "import-merge", checked: w.options.merge_duplicates,
    onchange: () => {
      w.options.merge_duplicates = merge.checked;
      w.render();
      w.focus("import-merge");
    },
  });
  const possible = choiceSelect(w.options.possible_duplicates, "import-possible", t("import.possible_all"), (c) => {
    w.options.possible_duplicates = c;
    w.options.choices = [];
    void w.loadPreview().then(() => w.focus("import-possible"));
  });
  possible.id = "import-possible";
  return h(
    "div",
    { class: "grid2" },
    h("div", { class: "field" },
      h("label", { for: "import-source", class: "label" }, t("field.source")), source,
      h("span", { class: "hint" }, t("import.source_hint"))),
    h("div", null,
      h("label", { class: "check import-merge" }, merge,
        h("span", null, h("span", { class: "label" }, t("import.merge")), h("br"), h("span", { class: "hint" }, t("import.merge_hint")))),
      h("div", { class: "field" },
        h("label", { for: "import-possible", class: "label" }, t("import.possible_all")), possible,
        h("span", { class: "hint" }, plural("import.possible_count", p.similar)))),
  );
}

function totals(p: ImportPreview): HTMLElement {
  return h(
    "p",
    { class: "import-totals", "data-testid": "import-totals" },
    h("span", { "data-testid": "import-total" }, plural("import.total", p.total)),
    " · ",
    h("span", { "data-testid": "import-rejected", class: p.rejected ? "bad" : "" }, plural("import.rejected", p.rejected)),
    " · ",
    h("span", { "data-testid": "import-duplicates" }, plural("import.duplicates", p.duplicates)),
    p.similar ? [" · ", h("span", { "data-testid": "import-similar" }, plural("import.similar", p.similar))] : null,
  );
}

/** The first records as they would be stored. */
function rowsTable(w: Wizard, p: ImportPreview): HTMLElement {
  return h(
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
        h("td", { class: "tokens" }, (c?.emails ?? []).join(", ")),
        h("td", { class: "tokens" }, (c?.phones ?? []).join(", ")),
        h("td", null, r.error || r.organization_only ? null : stageBadge(r.stage)),
        h("td", null, h("div", { class: "status" }, rowStatus(w, r))),
      );
    })),
  );
}

/** What happens to a record: rejected (why), merged or maybe a duplicate, similar, warnings. */
function rowStatus(w: Wizard, r: PreviewRow): Child[] {
  const out: Child[] = [];
  if (r.organization_only) out.push(h("span", { class: "muted", "data-testid": "import-row-org" }, t("import.org_only")));
  if (r.error) out.push(h("span", { class: "row-error", "data-testid": "import-row-error" }, rowErrorText(r.error),
    h("span", { class: "muted reason" }, ` (${r.error.reason})`)));
  if (r.duplicate_of) {
    out.push(h("span", { class: "row-dup", "data-testid": "import-row-duplicate" },
      t(w.options.merge_duplicates ? "import.will_merge" : "import.maybe_duplicate", { name: r.duplicate_of.display_name })));
  }
  if (r.similar_to) {
    out.push(h("span", { class: "row-dup", "data-testid": "import-row-similar" },
      t("import.similar_to", { name: r.similar_to.display_name })));
  }
  if (r.choice) {
    out.push(choiceSelect(r.choice, "import-row-choice", t("import.choice_for", { line: r.line }), (c) => choose(w, r.line, c)));
  }
  r.warnings.forEach((warning) => out.push(h("span", { class: "row-warning", "data-testid": "import-row-warning" }, warningText(warning))));
  return out;
}
