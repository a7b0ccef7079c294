import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import type { TPrisma } from "../../lib/db";

export type TEnrolledPhone = { laptop: BrowserContext; phone: BrowserContext; app: Page };

// The user's laptop opens a fresh enrollment link and hands over to the phone, which enrolls the Twofold
// authenticator (its WebCrypto key in IndexedDB) and stays on /authenticator, connected to the live stream. The
// caller closes both contexts; if enrolling fails, they are closed here.
export const enrollPhone = async (options: { browser: Browser; prisma: TPrisma; userId: string; baseURL: string; password: string; deviceName: string }): Promise<TEnrolledPhone> => {
  const { createEnrollmentLink } = await import("../../lib/enrollment/create-enrollment-link");
  const laptop = await options.browser.newContext();
  const phone = await options.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    const link = await createEnrollmentLink({ prisma: options.prisma, userId: options.userId, createdBy: "e2e", baseUrl: options.baseURL });
    const desk = await laptop.newPage();
    await desk.goto(link.url);
    const handover = desk.getByRole("link", { name: "Use the Twofold app on this phone instead" });
    await expect(handover).toBeVisible();
    const app = await phone.newPage();
    await app.goto(new URL((await handover.getAttribute("href")) ?? "", options.baseURL).toString());
    await expect(app.getByRole("heading", { name: "Use this phone as your authenticator" })).toBeVisible();
    await app.getByLabel("Password").fill(options.password);
    await app.getByLabel("Device name").fill(options.deviceName);
    await app.getByRole("button", { name: "Use this phone" }).click();
    await expect(app).toHaveURL(/\/authenticator$/);
    await expect(app.getByTestId("authenticator-connection")).toHaveText("connected");
    return { laptop, phone, app };
  } catch (error) {
    await laptop.close();
    await phone.close();
    throw error;
  }
};
