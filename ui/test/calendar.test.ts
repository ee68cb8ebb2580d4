import { afterEach, describe, expect, it } from "vitest";
import { $, $$, key, maybe, start, stop, type, until } from "./helpers";

afterEach(stop);

// The backend's clock: Friday 2025-03-14 10:30 in Berlin.
const FRIDAY = "2025-03-14";

function pointer(type: string, target: EventTarget, clientY: number, clientX = 10): void {
  target.dispatchEvent(new MouseEvent(type, { bubbles: true, button: 0, clientX, clientY }));
}

describe("calendar", () => {
  it("shows the working week with appointments and tasks due, creates one by dragging a range and moves one by keyboard", async () => {
    const { backend } = await start((b) => {
      const zora = b.add({ first_name: "Zora", last_name: "Zander", organization: "Elb Brauerei" });
      b.addAppointment({ title: "Besuch Elb", start: `${FRIDAY}T10:00:00+01:00`, end: `${FRIDAY}T11:00:00+01:00`, contact_id: zora.id });
      b.addAppointment({ title: "Messe", start: "2025-03-12", end: "2025-03-13" });
      b.addTask({ title: "Angebot nachfassen", due: FRIDAY, contact_id: zora.id });
    });
    key("g");
    key("k");
    await until(() => $$("cal-appt").length === 1);
    expect($$("cal-day-head").map((d) => d.dataset.day)).toEqual(["2025-03-10", "2025-03-11", "2025-03-12", "2025-03-13", "2025-03-14"]);
    expect($("cal-appt").textContent).toContain("Besuch Elb");
    expect($("cal-appt").textContent).toContain("Zora Zander");
    // The fair on both its days, the task on its day.
    expect($$("cal-allday").map((c) => c.closest<HTMLElement>("[data-day]")!.dataset.day)).toEqual(["2025-03-12", "2025-03-13"]);
    expect($("cal-task").closest<HTMLElement>("[data-day]")!.dataset.day).toBe(FRIDAY);

    // A drag from 12:00 to 13:30 on Thursday: a new appointment for that range.
    const thursday = $$("cal-col").find((c) => c.dataset.day === "2025-03-13")!;
    pointer("pointerdown", thursday, 5 * 48);
    pointer("pointermove", document, 6 * 48);
    pointer("pointerup", document, 6.5 * 48);
    await until(() => maybe("appt-dialog"));
    expect(($("appt-date") as HTMLInputElement).value).toBe("2025-03-13");
    expect(($("appt-from") as HTMLInputElement).value).toBe("12:00");
    expect(($("appt-to") as HTMLInputElement).value).toBe("13:30");
    type($("appt-title"), "Jour fixe");
    $("appt-save").click();
    await until(() => $$("cal-appt").length === 2);
    const created = backend.calls.find((c) => c.cmd === "create_appointment")!.args.input;
    expect(created).toMatchObject({ title: "Jour fixe", start: "2025-03-13T12:00:00+01:00", end: "2025-03-13T13:30:00+01:00", reminders: [0] });

    // Alt+↓ moves the focused appointment by 15 minutes, Alt+→ by a day.
    const visit = $$("cal-appt").find((b) => b.textContent?.includes("Besuch Elb"))!;
    visit.focus();
    key("ArrowDown", visit, { altKey: true });
    await until(() => backend.calls.some((c) => c.cmd === "move_appointment"));
    expect(backend.calls.find((c) => c.cmd === "move_appointment")!.args.start).toBe(`${FRIDAY}T10:15:00+01:00`);
    const moved = await backend.call("calendar_days", { from: FRIDAY, to: FRIDAY });
    expect(moved.appointments[0].appointment.start).toBe(`${FRIDAY}T09:15:00Z`);
    expect(moved.appointments[0].appointment.end).toBe(`${FRIDAY}T10:15:00Z`);
  });

  it("checks in at a visit of the day and files the visit report with its follow-up task (German)", async () => {
    const { backend } = await start((b) => {
      b.settings.language = "de";
      const zora = b.add({ first_name: "Zora", last_name: "Zander", organization: "Elb Brauerei" });
      b.addAppointment({ title: "Besuch Elb", start: `${FRIDAY}T10:00:00+01:00`, end: `${FRIDAY}T11:00:00+01:00`, contact_id: zora.id });
    });
    key("g");
    key("k");
    await until(() => maybe("cal-mode-day"));
    $("cal-mode-day").click();
    await until(() => maybe("visit-check-in"));
    expect($("cal-visits").textContent).toContain("Elb Brauerei");
    $("visit-check-in").click();
    await until(() => maybe("visit-check-out"));
    expect($("visit-since").textContent).toBe("Eingecheckt seit 10:30");
    $("visit-check-out").click();
    await until(() => maybe("visit-dialog"));
    type($("visit-attendees"), "Zora Zander\nBen Adler");
    type($("visit-topics"), "Schankanlage");
    type($("visit-concerns"), "Lieferzeit?");
    type($("visit-products"), "Schankanlage S2");
    type($("visit-next-steps"), "Angebot bis Freitag schicken");
    expect(($("visit-follow-title") as HTMLInputElement).value).toBe("Angebot bis Freitag schicken");
    $("visit-save").click();
    await until(() => maybe("visit-reported"));
    const report = backend.calls.find((c) => c.cmd === "check_out")!.args.report;
    expect(report).toMatchObject({
      attendees: ["Zora Zander", "Ben Adler"], topics: "Schankanlage", concerns: "Lieferzeit?",
      follow_up: { kind: "task", title: "Angebot bis Freitag schicken", due: "2025-03-16" },
    });
    const [contact] = backend.contacts;
    const timeline = await backend.call("list_activities", { id: contact.id, query: { kinds: ["visit"], offset: 0, limit: 5 } });
    expect(timeline.items[0].text).toContain("Teilnehmer: Zora Zander, Ben Adler");
    const tasks = await backend.tasks();
    expect(tasks.some((t) => t.title === "Angebot bis Freitag schicken" && t.contact_id === contact.id)).toBe(true);
  });

  it("plans a day through pinned customers, shows the route and puts the visits in the calendar", async () => {
    const { backend } = await start((b) => {
      for (const [name, lon] of [["Cee", 10.6], ["Aah", 10.2], ["Bee", 10.4]] as const) {
        const c = b.add({ first_name: name, last_name: "Kunde", organization: `${name} GmbH`, stage: "prospect" });
        b.pin(c, 53.55, lon);
      }
    });
    key("g");
    key("k");
    await until(() => maybe("cal-mode-plan"));
    $("cal-mode-plan").click();
    await until(() => maybe("plan-start"));
    type($("plan-start"), "53.55, 10.0");
    (($("plan-date") as HTMLInputElement).value = "2025-03-17");
    $("plan-suggest").click();
    await until(() => $$("plan-stop").length === 3);
    const names = $$("plan-stop-name").map((e) => e.textContent);
    expect([["Aah GmbH", "Bee GmbH", "Cee GmbH"], ["Cee GmbH", "Bee GmbH", "Aah GmbH"]]).toContainEqual(names);
    expect($("plan-total").textContent).toContain("103");
    expect($("plan-total").textContent).toContain("× 1.3");
    // Customers near an address, nearest first.
    type($("nearby-address"), "53.55, 10.25");
    $("nearby-search").click();
    await until(() => $$("nearby-pick").length === 3);
    expect($$("nearby-pick").map((b) => b.closest("li")!.textContent)).toEqual([
      "3.3 kmAah GmbH · Aah Kunde", "9.9 kmBee GmbH · Bee Kunde", "23.1 kmCee GmbH · Cee Kunde",
    ]);
    $("plan-save").click();
    await until(() => maybe("cal-visits") && $$("visit-row").length === 3);
    const days = await backend.call("calendar_days", { from: "2025-03-17", to: "2025-03-17" });
    expect(days.appointments.map((a: { appointment: { title: string } }) => a.appointment.title).sort())
      .toEqual(["Visit: Aah GmbH", "Visit: Bee GmbH", "Visit: Cee GmbH"]);
  });

  it("adds a trip to the mileage log, corrects it as a new entry and exports the month", async () => {
    const { backend } = await start();
    key("g");
    key("k");
    await until(() => maybe("cal-mode-mileage"));
    $("cal-mode-mileage").click();
    await until(() => maybe("mileage-empty"));
    $("mileage-add").click();
    await until(() => maybe("trip-dialog"));
    type($("trip-from"), "Büro, Hamburg");
    type($("trip-to"), "Elb Brauerei");
    type($("trip-purpose"), "Kundenbesuch");
    type($("trip-partners"), "Elb Brauerei (Zora Zander)");
    type($("trip-odo-start"), "48210");
    type($("trip-odo-end"), "48260");
    $("trip-save").click();
    await until(() => $$("mileage-row").length === 1);
    $("mileage-correct").click();
    await until(() => maybe("trip-dialog"));
    type($("trip-odo-end"), "48252");
    $("trip-save").click();
    await until(() => $$("mileage-row").length === 2);
    const rows = $$("mileage-row");
    expect(rows[0].classList.contains("corrected")).toBe(true);
    expect($("mileage-note", rows[0]).textContent).toBe("corrected by no. 2");
    expect($("mileage-note", rows[1]).textContent).toBe("corrects no. 1");
    expect($("mileage-sum").textContent).toBe("42");
    const trips = await backend.call("list_trips", { from: "2025-03-01", to: "2025-03-31" });
    expect(trips.map((t: { odometer_end: number }) => t.odometer_end)).toEqual([48260, 48252]);
    $("mileage-export-csv").click();
    await until(() => backend.calls.some((c) => c.cmd === "export_mileage"));
    expect(backend.calls.find((c) => c.cmd === "export_mileage")!.args).toEqual({ period: "2025-03", html: false });
  });
});

describe("a contact on the road", () => {
  it("sets a pin by hand and lists the customers nearby, nearest first, within the chosen radius (German)", async () => {
    const { backend } = await start((b) => {
      b.settings.language = "de";
      const zora = b.add({ first_name: "Zora", last_name: "Zander", organization: "Elb Brauerei" });
      const near = b.add({ first_name: "Ben", last_name: "Adler", organization: "Hafenkontor" });
      const far = b.add({ first_name: "Lars", last_name: "Lenz", organization: "Bergedorf Elektro" });
      const munich = b.add({ first_name: "Max", last_name: "Huber", organization: "Isar AG" });
      b.pin(near, 53.5436, 9.9701);
      b.pin(far, 53.4889, 10.2119);
      b.pin(munich, 48.137, 11.575);
      b.addAppointment({ title: "Besuch Elb", start: "2025-03-17T10:00:00+01:00", end: "2025-03-17T11:00:00+01:00", contact_id: zora.id });
    });
    const zora = backend.contacts[0];
    await until(() => $$("row-name").find((e) => e.textContent === "Zora Zander"));
    $$("contact-row").find((r) => r.textContent?.includes("Zora Zander"))!.click();
    await until(() => maybe("field-position"));
    expect($("field-position").textContent).toContain("Noch keine Position");
    expect($("contact-appointment").textContent).toContain("Besuch Elb");
    type($("pin-lat"), "53,5456");
    type($("pin-lon"), "9,9314");
    $("pin-set").click();
    await until(() => $("field-position")?.textContent?.includes("Pin von Hand"));
    expect((await backend.call("get_contact", { id: zora.id })).contact.address.pin).toEqual({ lat: 53.5456, lon: 9.9314 });
    $("nearby-show").click();
    await until(() => maybe("nearby-list"));
    expect($$("nearby-row").map((r) => r.textContent)).toEqual(["2,6 kmHafenkontor · Ben Adler", "19,6 kmBergedorf Elektro · Lars Lenz"]);
    const radius = $("nearby-radius") as HTMLSelectElement;
    radius.value = "10";
    radius.dispatchEvent(new Event("change"));
    await until(() => $$("nearby-row").length === 1);
    expect($("nearby-row").textContent).toContain("Hafenkontor");
  });
});

describe("the calendar's today", () => {
  it("counts the overdue tasks on today and leads to them, and lists only the tasks due on each day", async () => {
    const { backend } = await start((b) => {
      b.addTask({ title: "Längst fällig", due: "2025-03-03" });
      b.addTask({ title: "Auch fällig", due: "2025-03-10T08:00:00Z" });
      b.addTask({ title: "Heute", due: FRIDAY });
    });
    key("g");
    key("k");
    await until(() => maybe("cal-overdue"));
    expect($("cal-overdue").textContent).toBe("⚠ 2 overdue (Tasks)");
    expect($("cal-overdue").closest<HTMLElement>("[data-day]")!.dataset.day).toBe(FRIDAY);
    // Monday's task is listed on Monday; the one before this week only in the count.
    expect($$("cal-task").map((c) => [c.closest<HTMLElement>("[data-day]")!.dataset.day, c.textContent])).toEqual([
      ["2025-03-10", "☐ Auch fällig"], [FRIDAY, "☐ Heute"],
    ]);
    $("cal-overdue").click();
    await until(() => maybe("tasks-view"));
    expect(backend.calls.some((c) => c.cmd === "list_tasks")).toBe(true);
  });
});

describe("a busy day", () => {
  it("shows a day's first tasks and counts the rest, in the week and in the day", async () => {
    await start((b) => {
      for (let i = 0; i < 25; i++) b.addTask({ title: `Anruf ${String(i).padStart(2, "0")}`, due: `${FRIDAY}T${String(8 + (i % 10)).padStart(2, "0")}:00:00Z` });
    });
    key("g");
    key("k");
    await until(() => maybe("cal-more-tasks"));
    expect($$("cal-task").length).toBe(3);
    expect($("cal-more-tasks").textContent).toBe("+22 more tasks");
    $("cal-more-tasks").click();
    await until(() => maybe("cal-visits"));
    await until(() => $$("cal-task").length === 20);
    expect($("cal-more-tasks").textContent).toBe("+5 more tasks");
  });
});
