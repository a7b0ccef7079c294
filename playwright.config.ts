import { defineConfig } from "@playwright/test";

// Debian's Chromium (Playwright cannot download browsers here). The console, its throwaway database and the worker
// are started by e2e/global-setup.ts on free ports, so a developer's own `npm start` on :3000 is never touched.
export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  // Generous: 2 cores shared by the console, the worker, PostgreSQL and Chromium.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // One at a time: radclient always sends from 127.0.0.1, and a RADIUS client is matched by source address (as on a
  // real NAS), so specs that each configure a 127.0.0.1 client with their own secret must not overlap.
  workers: 1,
  retries: 0,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  outputDir: "test-results",
  use: {
    headless: true,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [
    // The one-time setup link can only create the first owner, so that test runs first and records the owner for the rest.
    { name: "owner-setup", testMatch: /owner-setup\.setup\.ts/ },
    { name: "console", testMatch: /.*\.spec\.ts/, dependencies: ["owner-setup"] },
  ],
});
