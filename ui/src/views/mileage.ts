// The mileage log (Fahrtenbuch): a month's trips as the tax office reads
// them (date, destination, purpose, partners visited, odometer at start
// and end, kilometres, private), entries never changed: "Correct" writes a
// new entry that names the one it corrects, and both stay. A trip is
// proposed from a day's visits; the month exports as CSV or a printable
// document.
import type { Trip } from "../bindings/Trip";
import type { TripInput } from "../bindings/TripInput";
import { h, replace } from "../dom";
import { formatDate, formatNumber, t, type MessageKey } from "../i18n";
import * as ipc from "../ipc";
import { AppError } from "../ipc";
import type { Shell } from "../shell";
import { clock, localDay } from "../tasks";
import { button, formDialog } from "./common";
import type { CalendarActions } from "./calendarTypes";

export class MileageView {
  readonly el: HTMLElement;

  constructor(private readonly actions: CalendarActions) {
    this.el = h("div", { class: "mileage", "data-testid": "mileage" });
  }

  update(): void {
    const { actions } = this;
    const m = actions.state.mileage;
    const month = h("input", {
      id: "mileage-month", type: "month", "data-testid": "mileage-month", value: m.month,
      onchange: (ev: Event) => actions.setMonth((ev.target as HTMLInputElement).value),
    });
    const head = h("div", { class: "mileage-head" },
      h("label", { for: "mileage-month", class: "label" }, t("mileage.month")), month,
      h("div", { class: "spacer" }),
      button(t("mileage.add"), { testid: "mileage-add", kind: "primary", onclick: () => actions.addTrip(null, null) }),
      button(t("mileage.export_csv"), { testid: "mileage-export-csv", onclick: () => void actions.exportMileage(false) }),
      button(t("mileage.export_html"), { testid: "mileage-export-html", onclick: () => void actions.exportMileage(true) }));
    const trips = m.trips ?? [];
    const correctedBy = new Map<number, number[]>();
    for (const tr of trips) if (tr.corrects !== null) correctedBy.set(tr.corrects, [...(correctedBy.get(tr.corrects) ?? []), tr.number]);
    const superseded = new Set(trips.filter((x) => x.corrects !== null).map((x) => x.corrects!));
    const km = (x: Trip) => x.odometer_end - x.odometer_start;
    const business = trips.filter((x) => !superseded.has(x.number) && !x.private).reduce((s, x) => s + km(x), 0);
    const privat = trips.filter((x) => !superseded.has(x.number) && x.private).reduce((s, x) => s + km(x), 0);
    const cols: MessageKey[] = ["mileage.col.number", "mileage.col.date", "mileage.col.destination", "mileage.col.purpose", "mileage.col.partners",
      "mileage.col.start", "mileage.col.end", "mileage.col.km", "mileage.col.private", "mileage.col.note"];
    const table = trips.length
      ? h("table", { class: "table mileage-table", "data-testid": "mileage-table" },
          h("thead", null, h("tr", null, cols.map((c) => h("th", { scope: "col" }, t(c))), h("th", null, h("span", { class: "sr-only" }, t("mileage.col.actions"))))),
          h("tbody", null, trips.map((x) => {
            const by = correctedBy.get(x.number);
            const note = [x.corrects !== null ? t("mileage.corrects", { n: x.corrects }) : null, by ? t("mileage.corrected_by", { n: by.join(", ") }) : null].filter(Boolean).join(" · ");
            return h("tr", { class: by ? "corrected" : "", "data-testid": "mileage-row", "data-number": String(x.number) },
              h("td", { class: "num" }, String(x.number)),
              h("td", null, formatDate(`${x.date}T12:00:00`)),
              h("td", null, x.destination),
              h("td", null, x.private ? t("mileage.private_trip") : x.purpose),
              h("td", null, x.partners.join(", ")),
              h("td", { class: "num" }, formatNumber(x.odometer_start)),
              h("td", { class: "num" }, formatNumber(x.odometer_end)),
              h("td", { class: "num" }, formatNumber(km(x))),
              h("td", null, t(x.private ? "mileage.yes" : "mileage.no")),
              h("td", { class: "note", "data-testid": "mileage-note" }, note),
              h("td", null, button(t("mileage.correct"), { testid: "mileage-correct", kind: "ghost", onclick: () => actions.addTrip(null, x) })));
          })),
          h("tfoot", null, h("tr", null,
            h("td", { colspan: 7 }, t("mileage.sum")),
            h("td", { class: "num", "data-testid": "mileage-sum" }, formatNumber(business + privat)),
            h("td", { colspan: 3, class: "muted" }, t("mileage.split", { business: formatNumber(business), private: formatNumber(privat) })))))
      : h("p", { class: "muted", "data-testid": "mileage-empty" }, m.loading ? t("status.loading") : t("mileage.empty"));
    replace(this.el, head, h("p", { class: "hint" }, t("mileage.hint")), h("div", { class: "table-wrap" }, table));
  }
}

/** The trip dialog: a new entry (proposed from a day's visits) or a correction of `corrects`. */
export function tripDialog(app: Shell, base: TripInput | null, corrects: Trip | null, saved: () => Promise<void>): void {
  const b: TripInput = corrects
    ? {
        date: corrects.date, start_address: corrects.start_address, destination: corrects.destination, purpose: corrects.purpose,
        partners: corrects.partners, odometer_start: corrects.odometer_start, odometer_end: corrects.odometer_end, km: null,
        private: corrects.private, corrects: corrects.number,
      }
    : base ?? { date: localDay(clock.now()), start_address: app.settings.field.home_address, destination: "", purpose: "", partners: [], odometer_start: null, odometer_end: null, km: null, private: false, corrects: null };
  const field = (id: string, label: MessageKey, control: HTMLElement) =>
    h("div", { class: "field", "data-field": id }, h("label", { for: id, class: "label" }, t(label)), control);
  const input = (id: string, value: string, extra: Record<string, unknown> = {}) =>
    h("input", { id, type: "text", "data-testid": id, autocomplete: "off", value, ...extra }) as HTMLInputElement;
  const date = input("trip-date", b.date, { type: "date" });
  const from = input("trip-from", b.start_address);
  const to = input("trip-to", b.destination);
  const purpose = input("trip-purpose", b.purpose);
  const partners = h("textarea", { id: "trip-partners", rows: 2, "data-testid": "trip-partners" }, b.partners.join("\n")) as HTMLTextAreaElement;
  const start = input("trip-odo-start", b.odometer_start === null ? "" : String(b.odometer_start), { inputmode: "numeric" });
  const end = input("trip-odo-end", b.odometer_end === null ? (b.odometer_start !== null && b.km !== null ? String(b.odometer_start + b.km) : "") : String(b.odometer_end), { inputmode: "numeric" });
  const privateBox = h("input", { type: "checkbox", id: "trip-private", "data-testid": "trip-private", checked: b.private }) as HTMLInputElement;
  const errors = h("div", { class: "error-slot", "data-slot": "trip" });
  const save = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "trip-save" }, t(corrects ? "mileage.save_correction" : "mileage.save"));
  const problem = (control: HTMLElement, text: string) => {
    dialog.querySelectorAll(".field-error").forEach((el) => el.remove());
    control.setAttribute("aria-invalid", "true");
    control.closest(".field")?.appendChild(h("p", { class: "field-error", "data-testid": "field-error" }, text));
    control.focus();
  };
  const number = (el: HTMLInputElement) => {
    const v = el.value.replace(/[.\s]/g, "").trim();
    return v === "" ? null : /^\d+$/.test(v) ? Number(v) : NaN;
  };
  const controls: Record<string, HTMLElement> = {
    date, start_address: from, destination: to, purpose, odometer_start: start, odometer_end: end,
  };
  let busy = false;
  const submit = async () => {
    if (busy) return;
    const s = number(start);
    const e = number(end);
    if (Number.isNaN(s)) return problem(start, t("invalid.integer"));
    if (e === null || Number.isNaN(e)) return problem(end, t("mileage.invalid.end"));
    busy = true;
    save.disabled = true;
    try {
      await ipc.addTrip({
        date: date.value, start_address: from.value.trim(), destination: to.value.trim(), purpose: purpose.value.trim(),
        partners: partners.value.split("\n").map((p) => p.trim()).filter(Boolean),
        odometer_start: s, odometer_end: e, km: null, private: privateBox.checked, corrects: corrects?.number ?? null,
      });
      app.closeModal();
      await saved();
    } catch (err) {
      const error = AppError.from(err);
      const control = error.field ? controls[error.field] : undefined;
      if (control) problem(control, error.message);
      app.showError(error, errors);
    } finally {
      busy = false;
      save.disabled = false;
    }
  };
  const dialog = formDialog(
    app,
    {
      testid: "trip-dialog",
      heading: corrects ? [t("mileage.correct_title", { n: corrects.number })] : [t("mileage.add")],
      onSubmit: () => void submit(), errors, save,
    },
    corrects ? h("p", { class: "hint" }, t("mileage.correct_hint")) : null,
    h("div", { class: "grid2" }, field("trip-date", "mileage.col.date", date),
      h("label", { class: "check trip-private" }, privateBox, h("span", null, t("mileage.private_trip")))),
    field("trip-from", "mileage.from", from),
    field("trip-to", "mileage.col.destination", to),
    field("trip-purpose", "mileage.col.purpose", purpose),
    field("trip-partners", "mileage.partners_lines", partners),
    h("div", { class: "grid2" }, field("trip-odo-start", "mileage.col.start", start), field("trip-odo-end", "mileage.col.end", end)),
    b.km !== null && !corrects ? h("p", { class: "hint" }, t("mileage.estimated", { km: formatNumber(b.km) })) : null,
  );
  app.openModal(dialog);
  (corrects ? end : to.value ? end : to).focus();
}
