import { expect, test, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { createServer, request as httpRequest, type Server } from "node:http";
import { signIn } from "./support/sign-in";
import { readRun } from "./support/state";

// These tests own the global policy while they run (specs run one at a time, see playwright.config.ts).
test.describe.configure({ mode: "serial" });

const tag = randomUUID().slice(0, 8);

const saveGlobal = async (page: Page, fields: { normalization: string; newUser: string }) => {
  await page.goto(`${readRun().baseURL}/policies`);
  await page.getByLabel("Username normalization").selectOption(fields.normalization);
  await page.getByLabel("New-user policy").selectOption(fields.newUser);
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByText("Policy saved")).toBeVisible();
  await page.reload();
};

test("the policy page warns while normalization and the new-user policy let aliases in, and stops once they do not", async ({ page }) => {
  await signIn(page);
  await page.goto(`${readRun().baseURL}/policies`);
  const before = {
    normalization: await page.getByLabel("Username normalization").inputValue(),
    newUser: await page.getByLabel("New-user policy").inputValue(),
  };
  try {
    await saveGlobal(page, { normalization: "none", newUser: "allow_without_2fa" });
    const warning = page.getByTestId("alias-warning").filter({ hasText: "Global policy" });
    await expect(warning).toContainText("password alone");
    await expect(warning).toContainText("Strip domain");

    await saveGlobal(page, { normalization: "strip_domain", newUser: "allow_without_2fa" });
    await expect(page.getByTestId("alias-warning").filter({ hasText: "Global policy" })).toHaveCount(0);
  } finally {
    await saveGlobal(page, before);
  }
});

// A reverse proxy that is NOT in TWOFOLD_TRUSTED_PROXIES (the run trusts none), connecting from 127.0.0.2 so the
// throttle it trips is its own and not the 127.0.0.1 every other spec signs in from. It passes the browser's headers
// through untouched, spoofed X-Forwarded-For included.
const startUntrustedProxy = async (target: URL): Promise<{ url: string; close: () => Promise<void> }> => {
  const server: Server = createServer((incoming, outgoing) => {
    const forward = httpRequest(
      { host: target.hostname, port: target.port, localAddress: "127.0.0.2", method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forward.on("error", () => outgoing.writeHead(502).end());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

test("a client cannot choose its sign-in throttle key with X-Forwarded-For", async ({ browser, page }) => {
  const proxy = await startUntrustedProxy(new URL(readRun().baseURL));
  try {
    const attempt = async (index: number) => {
      // A new address claimed each time, and a new email, so only the real peer can tie the attempts together.
      const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": `198.51.100.${index + 1}` } });
      const tab = await context.newPage();
      await tab.goto(`${proxy.url}/sign-in`);
      await tab.getByLabel("Email").fill(`nobody-${index}-${tag}@example.com`);
      await tab.getByLabel("Password").fill("wrong password");
      await tab.getByRole("button", { name: "Continue" }).click();
      const alert = tab.locator("form .banner.error");
      await expect(alert).toBeVisible();
      const text = (await alert.textContent()) ?? "";
      await context.close();
      return text;
    };
    for (let index = 0; index < 8; index += 1) expect(await attempt(index)).not.toMatch(/Too many failed attempts/);
    expect(await attempt(8)).toMatch(/Too many failed attempts/);
  } finally {
    await proxy.close();
  }
  // The throttle is that peer's alone: the owner still signs in from 127.0.0.1, through the form.
  await signIn(page, undefined, { fresh: true });
});
