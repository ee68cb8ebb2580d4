// The import's vocabulary in the UI's language: presets, fields,
// delimiters, rejected records and warnings.
import type { Field } from "../../bindings/Field";
import type { Preset } from "../../bindings/Preset";
import type { RowError } from "../../bindings/RowError";
import type { RowWarning } from "../../bindings/RowWarning";
import { errorText, t, type MessageKey } from "../../i18n";

export const PRESETS: readonly Preset[] = ["auto", "google", "outlook", "hubspot", "generic"];
export const FIELDS: readonly Field[] = [
  "ignore", "salutation", "first_name", "middle_name", "last_name", "display_name", "organization", "title", "email", "phone",
  "street", "postcode", "city", "region", "country", "website", "tags", "notes", "note_line", "source", "stage",
];

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

export function delimiterName(d: string | null): string {
  if (d === null) return "—";
  if (d === ";") return t("import.delim.semicolon");
  if (d === ",") return t("import.delim.comma");
  if (d === "\t") return t("import.delim.tab");
  return `“${d}”`;
}
