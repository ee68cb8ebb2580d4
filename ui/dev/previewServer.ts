// The browser preview's backend: the app's real commands (ui_backend, the
// same process the UI's tests drive) behind the Vite dev server, so the
// preview shows what the core answers and no rule exists twice.
//   POST /__kontor/fresh   a new backend with an empty store (each page load)
//   POST /__kontor/invoke  {cmd, args} → {ok | err, events}
//   GET  /__kontor/events  server-sent events no request caused (the reminder timer's)
import type { IncomingMessage, ServerResponse } from "node:http";
import { resolve } from "node:path";
import type { Plugin } from "vite";
import { BackendProcess } from "./backendProcess";

const BINARY = process.env.KONTOR_UI_BACKEND ?? resolve(process.cwd(), "../target/debug/examples/ui_backend");

function body(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    let text = "";
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => done(text));
    req.on("error", fail);
  });
}

function reply(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(value));
}

export function previewBackend(): Plugin {
  let backend: BackendProcess | null = null;
  const listeners = new Set<ServerResponse>();
  const broadcast = (event: string, payload: unknown) => {
    for (const res of listeners) res.write(`data: ${JSON.stringify({ event, payload })}\n\n`);
  };
  return {
    name: "kontor-preview-backend",
    apply: "serve",
    configureServer(server) {
      server.middlewares.use("/__kontor/events", (req, res) => {
        res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
        listeners.add(res);
        req.on("close", () => listeners.delete(res));
      });
      server.middlewares.use("/__kontor/fresh", (_req, res) => {
        backend?.stop();
        backend = null;
        try {
          backend = new BackendProcess(BINARY, broadcast);
          reply(res, 200, {});
        } catch (e) {
          reply(res, 500, { message: String(e) });
        }
      });
      server.middlewares.use("/__kontor/invoke", async (req, res) => {
        const { cmd, args } = JSON.parse(await body(req));
        if (!backend) return reply(res, 500, { message: "no backend: POST /__kontor/fresh first" });
        const events: { event: string; payload: unknown }[] = [];
        try {
          const ok = await backend.send(cmd, args ?? {}, (event, payload) => events.push({ event, payload }));
          reply(res, 200, { ok, events });
        } catch (err) {
          reply(res, 200, { err, events });
        }
      });
      server.httpServer?.on("close", () => backend?.stop());
    },
  };
}
