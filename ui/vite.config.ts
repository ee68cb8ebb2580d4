/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import { previewBackend } from "./dev/previewServer";

// `base: "./"` keeps asset URLs relative so Tauri can serve dist/ from its custom protocol.
export default defineConfig({
  base: "./",
  // `npm run dev` serves dev/index.html on the real commands (dev/previewServer.ts).
  plugins: [previewBackend()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: { outDir: "dist", target: "es2022", emptyOutDir: true },
  test: {
    environment: "jsdom",
    include: ["test/**/*.test.ts"],
    // A fixed time zone with DST, so local days and UTC offsets are tested as a rep in Germany sees them.
    env: { TZ: "Europe/Berlin" },
    // Most tests drive the app's real commands in a backend process (test/live.ts):
    // seeding, an erase with its compaction or a restore take longer than a fake.
    testTimeout: 20_000,
  },
});
