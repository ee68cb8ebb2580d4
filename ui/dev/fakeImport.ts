// The fake backend's importer: reads a small CSV, vCard or Kontor JSON text
// into records with their line, roughly like the Rust core (delimiter and
// preset detection, header mapping, one error per bad record). Good enough to
// exercise the import wizard in tests and the dev preview; never shipped.
import type { ColumnMapping } from "../src/bindings/ColumnMapping";
import type { ContactInput } from "../src/bindings/ContactInput";
import type { Field } from "../src/bindings/Field";
import type { ImportFormat } from "../src/bindings/ImportFormat";
import type { Preset } from "../src/bindings/Preset";
import type { RowError } from "../src/bindings/RowError";
import type { RowWarning } from "../src/bindings/RowWarning";
import type { Stage } from "../src/bindings/Stage";

/** A file the fake's "native dialog" hands out. */
export interface FakeFile {
  name: string;
  text: string;
  /** Shown as the detected encoding. */
  encoding?: string;
}

/** One record read from a file, before duplicates are looked for. */
export interface ReadRecord {
  line: number;
  input: ContactInput | null;
  stage: Stage;
  error: RowError | null;
  warnings: RowWarning[];
  /** A vCard with KIND:org: an organisation, not a person. */
  orgOnly?: boolean;
}

export interface ReadFile {
  format: ImportFormat;
  preset: Preset | null;
  delimiter: string | null;
  columns: ColumnMapping[];
  records: ReadRecord[];
}

const emptyInput = (): ContactInput => ({
  first_name: "", last_name: "", display_name: null, organization: null, title: null, emails: [], phones: [], tags: [],
  source: null, notes: null, salutation: null, address: { street: null, postcode: null, city: null, region: null, country: null },
  website: null,
});

/** Splits CSV text into rows of cells, each with the line it starts on (quotes may span lines). */
export function parseCsv(text: string, delimiter: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else { if (ch === "\n") line++; cell += ch; }
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) { cells.push(cell); cell = ""; }
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      cells.push(cell);
      rows.push({ line: start, cells });
      cells = [];
      cell = "";
      line++;
      start = line;
    } else cell += ch;
  }
  if (cell !== "" || cells.length) { cells.push(cell); rows.push({ line: start, cells }); }
  return rows.filter((r) => r.cells.some((c) => c.trim() !== ""));
}

function detectDelimiter(firstLine: string): string {
  const counts = [";", ",", "\t"].map((d) => [d, firstLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ",";
}

function detectPreset(headers: string[]): Preset {
  const hs = headers.map((x) => x.toLowerCase());
  if (hs.includes("given name") || hs.some((x) => x.startsWith("e-mail 1 - value"))) return "google";
  if (hs.includes("e-mail address") || hs.includes("business street")) return "outlook";
  if (hs.includes("lifecycle stage") || hs.includes("contact owner")) return "hubspot";
  return "generic";
}

const HEADER_FIELDS: [RegExp, Field][] = [
  [/^(salutation|anrede|prefix|name prefix)$/, "salutation"],
  [/^(first ?name|vorname|given name)$/, "first_name"],
  [/^(middle ?name|additional name|zweiter vorname)$/, "middle_name"],
  [/^(last ?name|nachname|family name|surname)$/, "last_name"],
  [/^(name|full name|display name|anzeigename)$/, "display_name"],
  [/(company|firma|organi[sz]ation)( 1 - name)?$/, "organization"],
  [/^(title|job title|position|organization 1 - title|titel)$/, "title"],
  [/e-?mail/, "email"],
  [/(phone|telefon|mobile|handy|mobil)/, "phone"],
  [/(street|straße|strasse)/, "street"],
  [/(zip|postcode|postal code|plz)/, "postcode"],
  [/(^| )(city|ort|stadt)$/, "city"],
  [/(state|region|bundesland)$/, "region"],
  [/(country|land)( \/ region)?$/, "country"],
  [/(website|web page|webseite|homepage)/, "website"],
  [/^(tags|labels|group membership|schlagworte)$/, "tags"],
  [/^(notes|notizen|bemerkung|anmerkungen)$/, "notes"],
  [/^(source|quelle|lead source)$/, "source"],
  [/^(lifecycle stage|stage|phase)$/, "stage"],
];

export function fieldForHeader(header: string): Field {
  const h = header.trim().toLowerCase();
  return HEADER_FIELDS.find(([re]) => re.test(h))?.[1] ?? "ignore";
}

const STAGE_WORDS: Record<string, Stage> = {
  lead: "lead", prospect: "prospect", interessent: "prospect", mql: "prospect", marketingqualifiedlead: "prospect",
  opportunity: "opportunity", verkaufschance: "opportunity", sql: "opportunity", salesqualifiedlead: "opportunity",
  customer: "customer", kunde: "customer", disqualified: "disqualified", disqualifiziert: "disqualified",
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Puts one value into the record as `field` says. */
function put(r: ReadRecord, input: ContactInput, field: Field, header: string, raw: string): void {
  const v = raw.trim();
  if (!v) return;
  const addNote = (text: string) => { input.notes = input.notes ? `${input.notes}\n${text}` : text; };
  switch (field) {
    case "ignore": return;
    case "first_name": case "last_name": input[field] = v; return;
    case "middle_name": input.first_name = input.first_name ? `${input.first_name} ${v}` : v; return;
    case "display_name": case "organization": case "title": case "salutation": case "website": case "source":
      input[field] = v; return;
    case "email":
      for (const e of v.split(/[;,\s]+/).filter(Boolean)) {
        if (EMAIL.test(e)) input.emails.push(e.toLowerCase());
        else {
          r.warnings.push({ line: r.line, code: "invalid_email_kept", value: e, reason: `invalid email '${e}' kept in the notes` });
          addNote(`${header}: ${e}`);
        }
      }
      return;
    case "phone": input.phones.push(v); return;
    case "street": case "postcode": case "city": case "region": case "country":
      if (!input.address[field]) input.address[field] = v;
      return;
    case "tags": input.tags.push(...v.split(/[;,]/).map((x) => x.trim()).filter(Boolean)); return;
    case "notes": addNote(v); return;
    case "note_line": addNote(`${header}: ${v}`); return;
    case "stage": {
      const s = STAGE_WORDS[v.toLowerCase().replace(/[\s_-]/g, "")];
      if (s) r.stage = s;
      else r.warnings.push({ line: r.line, code: "unknown_stage", value: v, reason: `unknown stage '${v}' read as lead` });
      return;
    }
  }
}

/** Checks a finished record: a name (or display name) is needed. */
function finish(r: ReadRecord, input: ContactInput): void {
  if (r.orgOnly && input.organization) {
    r.input = { ...input, display_name: input.organization };
    return;
  }
  const named = input.first_name || input.last_name || input.display_name;
  if (!named) {
    const empty = !input.organization && !input.emails.length && !input.phones.length;
    r.error = { line: r.line, code: "name_required", reason: empty ? "empty record" : "record has no name" };
    r.input = null;
  } else {
    r.input = input;
  }
}

function readCsv(file: FakeFile, preset: Preset, mapping: Field[] | null): ReadFile {
  const text = file.text.replace(/^\uFEFF/, "");
  const delimiter = detectDelimiter(text.split(/\r?\n/, 1)[0] ?? "");
  const rows = parseCsv(text, delimiter);
  const headerRow = rows.shift();
  const headers = headerRow?.cells ?? [];
  const found = preset === "auto" ? detectPreset(headers) : preset;
  const columns: ColumnMapping[] = headers.map((header, index) => ({
    index, header, field: mapping?.[index] ?? fieldForHeader(header), group: 0,
    sample: rows.map((r) => r.cells[index]?.trim()).find((x) => x) ?? null,
  }));
  const records = rows.map((row): ReadRecord => {
    const r: ReadRecord = { line: row.line, input: null, stage: "lead", error: null, warnings: [] };
    const input = emptyInput();
    columns.forEach((c) => put(r, input, c.field, c.header, row.cells[c.index] ?? ""));
    finish(r, input);
    return r;
  });
  return { format: "csv", preset: found, delimiter, columns, records };
}

function readVcard(file: FakeFile): ReadFile {
  const lines = file.text.replace(/\r\n/g, "\n").split("\n");
  const records: ReadRecord[] = [];
  let cur: { r: ReadRecord; input: ContactInput } | null = null;
  let last = "";
  const flush = (l: string) => {
    if (!cur || !l) return;
    const [head, ...rest] = l.split(":");
    const value = rest.join(":");
    const name = head.split(";")[0].toUpperCase();
    const { r, input } = cur;
    if (name === "FN") input.display_name = value;
    else if (name === "N") {
      const [lastName = "", first = "", , prefix = ""] = value.split(";");
      input.last_name = lastName;
      input.first_name = first;
      if (prefix) input.salutation = prefix;
    } else if (name === "ORG") input.organization = value.split(";")[0] || null;
    else if (name === "TITLE") input.title = value;
    else if (name === "EMAIL") put(r, input, "email", "EMAIL", value);
    else if (name === "TEL") put(r, input, "phone", "TEL", value);
    else if (name === "URL") input.website = value;
    else if (name === "KIND") r.orgOnly = value.trim().toLowerCase() === "org";
    else if (name === "NOTE") put(r, input, "notes", "NOTE", value);
    else if (name === "ADR") {
      const [, , street, city, region, postcode, country] = value.split(";");
      input.address = { street: street || null, city: city || null, region: region || null, postcode: postcode || null, country: country || null };
    }
  };
  lines.forEach((text, i) => {
    if (/^[ \t]/.test(text)) { last += text.slice(1); return; }
    flush(last);
    last = "";
    if (/^BEGIN:VCARD$/i.test(text.trim())) {
      cur = { r: { line: i + 1, input: null, stage: "lead", error: null, warnings: [] }, input: emptyInput() };
    } else if (/^END:VCARD$/i.test(text.trim()) && cur) {
      if (!cur.input.first_name && !cur.input.last_name && cur.input.display_name) {
        const parts = cur.input.display_name.split(" ");
        cur.input.last_name = parts.length > 1 ? parts.pop()! : "";
        cur.input.first_name = parts.join(" ");
      }
      finish(cur.r, cur.input);
      records.push(cur.r);
      cur = null;
    } else last = text;
  });
  return { format: "vcard", preset: null, delimiter: null, columns: [], records };
}

function readJson(file: FakeFile): ReadFile {
  let data: unknown;
  try {
    data = JSON.parse(file.text);
  } catch (e) {
    return { format: "json", preset: null, delimiter: null, columns: [], records: [{
      line: 1, input: null, stage: "lead", warnings: [], error: { line: 1, code: "unreadable_file", reason: String(e) },
    }] };
  }
  const list = Array.isArray(data) ? data : ((data as { contacts?: unknown[] })?.contacts ?? []);
  const records = list.map((raw, i): ReadRecord => {
    const r: ReadRecord = { line: i + 2, input: null, stage: "lead", error: null, warnings: [] };
    const input = { ...emptyInput(), ...(raw as Partial<ContactInput>) };
    const stage = (raw as { stage?: Stage }).stage;
    if (stage) r.stage = stage;
    finish(r, input);
    return r;
  });
  return { format: "json", preset: null, delimiter: null, columns: [], records };
}

/** Reads a whole file as the options say ("auto" looks at the name and the first bytes). */
export function readFile(file: FakeFile, format: ImportFormat, preset: Preset, mapping: Field[] | null): ReadFile {
  const head = file.text.trimStart().slice(0, 20).toUpperCase();
  const kind = format !== "auto" ? format
    : /\.vcf$/i.test(file.name) || head.startsWith("BEGIN:VCARD") ? "vcard"
      : /\.json$/i.test(file.name) || head.startsWith("{") || head.startsWith("[") ? "json" : "csv";
  if (kind === "vcard") return readVcard(file);
  if (kind === "json") return readJson(file);
  return readCsv(file, preset, mapping);
}
