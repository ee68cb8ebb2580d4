// What the dialogs read from their text fields: lines, comma lists, empty as null.
// (Whether a value is valid is the core's to say: `check_contact`.)

/** Splits a textarea into trimmed, non-empty lines. */
export function lines(text: string): string[] {
  return text.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
}

/** Splits "a, b ,c" into ["a", "b", "c"], dropping empties and duplicates. */
export function commaList(text: string): string[] {
  return [...new Set(text.split(",").map((s) => s.trim()).filter(Boolean))];
}

export function orNull(text: string): string | null {
  const s = text.trim();
  return s ? s : null;
}
