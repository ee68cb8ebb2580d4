// Client-side checks for the contact form. They mirror the backend's rules so
// the user gets feedback before saving; the backend still checks everything.
import type { ContactInput } from "./bindings/ContactInput";
import type { ErrorCode } from "./bindings/ErrorCode";

export interface FieldProblem {
  field: keyof ContactInput;
  code: ErrorCode;
  /** The offending entry for list fields (emails, phones). */
  value?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_CHARS = /^[+0-9 ()\-/.]+$/;

export function looksLikeEmail(s: string): boolean {
  return EMAIL.test(s);
}

export function looksLikePhone(s: string): boolean {
  return PHONE_CHARS.test(s) && (s.match(/\d/g)?.length ?? 0) >= 3;
}

export function validateContact(input: ContactInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!input.first_name.trim() && !input.last_name.trim()) problems.push({ field: "first_name", code: "name_required" });
  const badEmail = input.emails.find((e) => !looksLikeEmail(e));
  if (badEmail !== undefined) problems.push({ field: "emails", code: "invalid_email", value: badEmail });
  const badPhone = input.phones.find((p) => !looksLikePhone(p));
  if (badPhone !== undefined) problems.push({ field: "phones", code: "invalid_phone", value: badPhone });
  return problems;
}

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
