import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, type Cookie, type Page } from "@playwright/test";
import { readOwner, readRun, stateDir, type TOwner } from "./state";
import { freshTotp } from "./totp";

const SESSION_COOKIE = "twofold_session";
const sessionFile = (email: string) => path.join(stateDir(), `session-${createHash("sha256").update(email).digest("hex").slice(0, 16)}.json`);

// The console spends each admin TOTP step once (lib/auth/claim-admin-totp-step.ts), so a run that signed in the owner
// through the form for every spec would wait for a new code each time (one per 30 s). A spec that only needs to be
// signed in reuses the session an earlier one got through the form, and checks that it still holds; `fresh` (or a
// session that was signed out or expired) goes through the form: password, then a code never typed before.
export const signIn = async (page: Page, account: TOwner = readOwner(), options: { fresh?: boolean } = {}): Promise<void> => {
  const { baseURL } = readRun();
  const saved = sessionFile(account.email);
  if (!options.fresh && existsSync(saved)) {
    await page.context().addCookies(JSON.parse(readFileSync(saved, "utf8")) as Cookie[]);
    await page.goto(`${baseURL}/`);
    if (await page.getByTestId("signed-in-as").filter({ hasText: account.email }).isVisible()) return;
    await page.context().clearCookies({ name: SESSION_COOKIE });
  }
  await page.goto(`${baseURL}/sign-in`);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(/\/sign-in\/code$/);
  await page.getByLabel("Code").fill(await freshTotp(account.totpSecret));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText(account.email);
  const session = (await page.context().cookies()).filter((cookie) => cookie.name === SESSION_COOKIE);
  writeFileSync(saved, JSON.stringify(session), { mode: 0o600 });
};
