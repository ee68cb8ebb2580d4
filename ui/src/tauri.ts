// The one module that imports @tauri-apps/*: calls into the backend, with
// every rejection turned into an `AppError` carrying the backend's stable
// error code, and its events. Views run under `mockIPC` in tests.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { Stage } from "./bindings/Stage";
import { ERROR_CODES } from "./generated/core";


/** A failed backend call, with the backend's translatable error code. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string | null;
  readonly from: Stage | null;
  readonly to: Stage | null;

  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.name = "AppError";
    this.code = payload.code;
    this.field = payload.field;
    this.from = payload.from;
    this.to = payload.to;
  }

  /** Turns whatever `invoke` rejected with into an AppError (unknown shapes become `internal`). */
  static from(raw: unknown): AppError {
    if (raw instanceof AppError) return raw;
    if (raw && typeof raw === "object" && "code" in raw) {
      const p = raw as Partial<ErrorPayload>;
      const code = ERROR_CODES.includes(p.code as ErrorCode) ? (p.code as ErrorCode) : "internal";
      return new AppError({
        code,
        message: typeof p.message === "string" ? p.message : String(p.code),
        field: p.field ?? null,
        from: p.from ?? null,
        to: p.to ?? null,
      });
    }
    const message = raw instanceof Error ? raw.message : String(raw);
    return new AppError({ code: "internal", message, field: null, from: null, to: null });
  }
}

export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (raw) {
    throw AppError.from(raw);
  }
}

/** Calls `cb` with every `event`'s payload; resolves to the function that stops listening. */
export async function subscribe<T>(event: string, cb: (payload: T) => void): Promise<() => void> {
  try {
    return await listen<T>(event, (ev) => cb(ev.payload));
  } catch (raw) {
    throw AppError.from(raw);
  }
}
