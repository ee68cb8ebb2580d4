import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { AppError, changeStage, listContacts } from "../src/ipc";

afterEach(() => clearMocks());

describe("ipc", () => {
  it("passes the contract's argument names", async () => {
    const seen: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return cmd === "list_contacts" ? { items: [], total: 0 } : null;
    });
    await listContacts({ stage: "lead", search: "x", sort: "name", offset: 0, limit: 100, ready_to_qualify: false });
    await changeStage("c1", { to: "prospect", reason: null, force: false });
    expect(seen).toEqual([
      ["list_contacts", { query: { stage: "lead", search: "x", sort: "name", offset: 0, limit: 100, ready_to_qualify: false } }],
      ["change_stage", { id: "c1", change: { to: "prospect", reason: null, force: false } }],
    ]);
  });

  it("turns an error payload into a typed AppError", async () => {
    mockIPC(() => {
      throw { code: "reason_required", message: "m", field: "reason", from: "lead", to: "disqualified" };
    });
    const err = await changeStage("c1", { to: "disqualified", reason: null, force: false }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "reason_required", field: "reason", from: "lead", to: "disqualified" });
  });

  it("maps unknown rejections to internal", async () => {
    mockIPC(() => {
      throw "plain string";
    });
    const err = await listContacts({ stage: null, search: null, sort: "name", offset: 0, limit: 1, ready_to_qualify: false }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe("internal");
    expect(err.message).toBe("plain string");
  });
});
