import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "worker/**/*.test.ts", "app/**/*.test.ts", "scripts/**/*.test.ts", "deploy/**/*.test.ts"],
    globalSetup: ["lib/testing/vitest-global-setup.ts"],
    setupFiles: ["lib/testing/vitest-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests bind sockets and spawn FreeRADIUS/slapd: keep files in separate processes, two at a time (2 cores).
    pool: "forks",
    maxWorkers: 2,
  },
});
