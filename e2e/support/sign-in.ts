import { expect, type Page } from "@playwright/test";
import { readOwner, readRun, type TOwner } from "./state";
import { freshTotp } from "./totp";

export const signIn = async (page: Page, account: TOwner = readOwner()): Promise<void> => {
  await page.goto(`${readRun().baseURL}/sign-in`);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(/\/sign-in\/code$/);
  await page.getByLabel("Code").fill(await freshTotp(account.totpSecret));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText(account.email);
};
