// The app's real commands in a child process (src-tauri/examples/ui_backend.rs):
// one JSON request per line in, answers and events as lines out. Used by the
// UI's tests (test/live.ts) and by the browser preview (vite.config.ts), so
// neither has a backend of its own. Node only.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";

/** An event the app emitted, with the request that caused it (null: none, e.g. the reminder timer). */
export type EventSink = (event: string, payload: unknown) => void;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  onEvent?: EventSink;
}

interface Line {
  id: number | null;
  ok?: unknown;
  err?: unknown;
  event?: string;
  payload?: unknown;
}

export class BackendProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** Set by `stop`: a line cut off by the kill is not an answer. */
  private stopped = false;

  /** `unrequested` receives events no request caused. */
  constructor(binary: string, private readonly unrequested: EventSink = () => {}, env: NodeJS.ProcessEnv = {}) {
    if (!existsSync(binary)) {
      throw new Error(`${binary} is missing: run \`cargo build --example ui_backend\` first (the test command does)`);
    }
    this.child = spawn(binary, [], { env: { ...process.env, ...env } });
    createInterface({ input: this.child.stdout }).on("line", (text) => {
      if (!this.stopped) this.receive(JSON.parse(text) as Line);
    });
    this.child.stderr.on("data", () => {});
  }

  private receive(line: Line): void {
    const request = line.id === null ? undefined : this.pending.get(line.id);
    if (line.event !== undefined) {
      (request ? request.onEvent : this.unrequested)?.(line.event, line.payload);
      return;
    }
    if (!request || line.id === null) return;
    this.pending.delete(line.id);
    if ("err" in line) request.reject(line.err);
    else request.resolve(line.ok);
  }

  /** Sends one command; resolves with its answer. The events it causes go to `onEvent` first. */
  send(cmd: string, args: unknown, onEvent?: EventSink): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onEvent });
      this.child.stdin.write(`${JSON.stringify({ id, cmd, args })}\n`);
    });
  }

  /** Requests not answered yet. */
  get waiting(): number {
    return this.pending.size;
  }

  stop(): void {
    this.stopped = true;
    this.child.stdin.end();
    this.child.kill();
  }
}
