// Conversions between `<input type="datetime-local">` values (local time)
// and the RFC 3339 times the backend takes.

/** "2025-03-14T10:30" (a datetime-local value, local time) → "2025-03-14T09:30:00Z"; "" → null. */
export function localToRfc3339(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A Date → the datetime-local value for it in local time ("2025-03-14T10:30"). */
export function toLocalInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A Date → its local day as a date input's value ("2025-03-14"). */
export function toLocalDay(d: Date): string {
  return toLocalInput(d).slice(0, 10);
}
