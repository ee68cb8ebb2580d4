// Team sync in the window: the header's status, Settings → Team and the
// conflicts dialog. The sync's own commands are answered here (the real
// server is the end-to-end test's); everything else is the real backend.
import { afterEach, describe, expect, it } from "vitest";
import type { Conflict } from "../src/bindings/Conflict";
import type { SyncView } from "../src/bindings/SyncView";
import { emit } from "@tauri-apps/api/event";
import { serverUrl } from "../src/views/settings/team";
import { fieldName, valueText } from "../src/views/conflicts";
import { $, maybe, start, stop, type, until } from "./helpers";
import type { LiveBackend } from "./live";

afterEach(stop);

const view = (over: Partial<SyncView> = {}): SyncView => ({
  phase: "synced", server: "anna@crm.example.de:5432/kontor", pending: 0, conflicts: 0, set_aside: 0,
  last_sync: "2026-03-02T09:00:00Z", error: null, ...over,
});

function conflict(id: number, contact: string): Conflict {
  const at = "2026-03-02T08:59:00Z";
  return {
    id, kind: "contact", entity: contact, name: "Anna Schmidt", contact, field: "title",
    local: { value: "Einkauf", hlc: "0000018df4a1b2c3.00000000.aa", replica: "aa", by: null, at },
    remote: { value: "Leitung Einkauf", hlc: "0000018df4a1b2c4.00000000.bb", replica: "bb", by: "ben", at },
    shown: "remote",
  };
}

describe("team sync", () => {
  it("makes a server address from what the rep typed", () => {
    expect(serverUrl("crm.example.de:5432/kontor", "anna")).toBe("postgres://anna@crm.example.de:5432/kontor");
    expect(serverUrl("postgres://old@crm.example.de/kontor?sslmode=require", "anna")).toBe("postgres://anna@crm.example.de/kontor?sslmode=require");
    expect(serverUrl("postgresql://ben@db/k", "")).toBe("postgres://ben@db/k");
    expect(valueText(null)).toBe("(empty)");
    expect(valueText(["a@x.de", "b@x.de"])).toBe("a@x.de, b@x.de");
    expect(valueText({ street: "Hafenstr. 1", postcode: "20457", city: "Hamburg", country: null })).toBe("Hafenstr. 1, 20457, Hamburg");
  });

  it("names a field as the form of its kind of record does", () => {
    expect(fieldName("contact", "title")).toBe("Job title");
    expect(fieldName("task", "title")).toBe("Title");
    expect(fieldName("task", "due")).toBe("Due");
    expect(fieldName("deal", "next_step")).toBe("Next step");
    expect(fieldName("activity", "summary")).toBe("Summary");
    expect(fieldName("appointment", "place")).toBe("Place");
    expect(fieldName("organization", "industry")).toBe("Industry");
    expect(fieldName("deal", "something_new")).toBe("something_new");
  });

  it("shows no status before sync is set up, then synced, waiting and conflicts as they come", async () => {
    await start();
    const status = $("sync-status") as HTMLButtonElement;
    await until(() => status.hidden);
    await emit("sync-status", view({ phase: "offline", pending: 3 }));
    await until(() => !status.hidden);
    expect(status.textContent).toContain("Offline · 3 changes waiting");
    expect(status.title).toContain("anna@crm.example.de:5432/kontor");
    await emit("sync-status", view());
    await until(() => status.textContent?.includes("Synced"));
    await emit("sync-status", view({ conflicts: 1 }));
    await until(() => status.textContent?.includes("1 conflict"));
    expect(status.dataset.phase).toBe("conflicts");
  });

  it("connects in Settings → Team, asking before it makes the server's tables", async () => {
    const calls: { createSchema: boolean; url: string; password: string | null }[] = [];
    let setAside = 0;
    await start(undefined, (b: LiveBackend) => (cmd, args) => {
      if (cmd === "sync_connect") {
        calls.push(args);
        return args.createSchema
          ? { needs_schema: false, password_kept: true, view: view() }
          : { needs_schema: true, password_kept: false, view: null };
      }
      if (cmd === "sync_status") return calls.some((c) => c.createSchema) ? view({ set_aside: setAside }) : view({ phase: "off", server: null, last_sync: null });
      return b.handle(cmd, args);
    });
    $("open-settings").click();
    await until(() => maybe("settings-team"));
    $("team-connect").click();
    await until(() => maybe("error-message"));
    expect(maybe("error-message")?.textContent).toBe("Please enter the server and your user.");
    type($("team-server"), "crm.example.de:5432/kontor");
    type($("team-user"), "anna");
    type($("team-password"), "geheim");
    $("team-connect").click();
    await until(() => maybe("team-schema-question"));
    expect(calls[0]).toEqual({ url: "postgres://anna@crm.example.de:5432/kontor", password: "geheim", createSchema: false });
    $("team-create-schema").click();
    await until(() => $("team-status").textContent?.startsWith("Synced"));
    expect(calls[1].createSchema).toBe(true);
    expect(($("team-password") as HTMLInputElement).value).toBe("");
    expect(maybe("team-password-not-kept")).toBeNull();
    // Closing asks nothing: what was typed there applied with Connect.
    $("settings-close").click();
    await until(() => !maybe("settings-dialog"));
    await until(() => $("sync-status").textContent?.includes("Synced"));
    // Changes a newer Kontor wrote, set aside: the team section says they wait.
    setAside = 2;
    $("open-settings").click();
    await until(() => $("team-status")?.textContent?.includes("2 changes from a newer Kontor wait for an update") ?? false);
  });

  it("shows a conflict's two values with who and when, and keeps the one picked", async () => {
    let open: Conflict[] = [];
    const resolved: { id: number; take: string }[] = [];
    const { backend } = await start((b) => {
      b.add({ first_name: "Anna", last_name: "Schmidt" });
    }, (b: LiveBackend) => (cmd, args) => {
      if (cmd === "sync_status") return view({ conflicts: open.length });
      if (cmd === "list_conflicts") return open;
      if (cmd === "resolve_conflict") {
        resolved.push(args);
        const c = open.find((x) => x.id === args.id)!;
        open = [];
        return c;
      }
      return b.handle(cmd, args);
    });
    const anna = backend.contacts[0];
    open = [conflict(7, anna.id)];
    await emit("sync-status", view({ conflicts: 1 }));
    await until(() => $("sync-status").textContent?.includes("1 conflict"));
    $("sync-status").click();
    await until(() => maybe("conflict"));
    expect($("conflict-local-value").textContent).toBe("Einkauf");
    expect($("conflict-remote-value").textContent).toBe("Leitung Einkauf");
    expect($("conflict-remote").textContent).toContain("From ben");
    expect(maybe("conflict-keep-remote")).toBeNull(); // shown already
    $("conflict-keep-local").click();
    await until(() => maybe("conflicts-empty"));
    expect(resolved).toEqual([{ id: 7, take: "local" }]);
    expect(maybe("toast")?.textContent).toBe("Job title: kept “Einkauf”.");
    // A task's conflict names the task and opens its contact.
    open = [{ ...conflict(8, "01900000-0000-7000-8000-00000000aaaa"), kind: "task", name: "Angebot nachfassen", field: "notes", contact: anna.id }];
    $("conflicts-close").click();
    await emit("sync-status", view({ conflicts: 1 }));
    $("sync-status").click();
    await until(() => maybe("conflict"));
    expect(document.querySelector(".conflict-head")?.textContent).toBe("Task: Angebot nachfassen · Notes");
    $("conflict-contact").click();
    await until(() => maybe("contact-page")?.textContent?.includes("Anna Schmidt") ?? false);
    // A contact deleted while changed here: keeping it makes it again.
    open = [{
      ...conflict(9, anna.id), field: "_deleted",
      local: { ...conflict(9, anna.id).local, value: { first_name: "Anna", last_name: "Schmidt", notes: "Frühjahr" } },
      remote: { ...conflict(9, anna.id).remote, value: true },
    }];
    await emit("sync-status", view({ conflicts: 1 }));
    $("sync-status").click();
    await until(() => maybe("conflict"));
    expect(document.querySelector(".conflict-head")?.textContent).toBe("Anna Schmidt · deleted while changed here");
    expect($("conflict-local-value").textContent).toBe("As it was here, with the changes made meanwhile");
    expect($("conflict-remote-value").textContent).toBe("Deleted");
    $("conflict-keep-local").click();
    await until(() => maybe("conflicts-empty"));
    expect(maybe("toast")?.textContent).toBe("Anna Schmidt is back, as it was here.");
  });
});
