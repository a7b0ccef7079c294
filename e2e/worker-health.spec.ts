import { expect, test } from "@playwright/test";
import { describeDropReason } from "../lib/radius/describe-drop-reason";
import { radclient } from "../lib/testing/radclient";
import { seedLocalVpn } from "./support/seed-local-vpn";
import { signIn } from "./support/sign-in";

// A NAS with the wrong shared secret is dropped unanswered; the admin must see it on the client's page and on the
// dashboard, counted per client and reason from the workers' heartbeats (lib/workers/list-client-drops.ts).
test("drops by client after a wrong shared secret, on the client page and the dashboard; console readyz/livez", async ({ page, request }, testInfo) => {
  const { run, client, username, password, sharedSecret, remove } = await seedLocalVpn({ prefix: "drops", factorEntry: "append", password: (suffix) => `pw-${suffix}` });
  try {
    const send = (secret: string) => radclient({ port: run.radiusAuthPort ?? 0, secret, attributes: { "User-Name": username, "User-Password": password }, timeoutSec: 2 });
    // The worker has the new client once the right secret gets an answer (LISTEN/NOTIFY, within a second or so).
    await expect.poll(async () => (await send(sharedSecret)).code, { timeout: 30_000 }).toBeTruthy();
    for (let i = 0; i < 2; i += 1) expect((await send("not-the-shared-secret")).code).toBeUndefined();

    await signIn(page);
    const panel = page.getByTestId("client-drops");
    await expect(async () => {
      await page.goto(`${run.baseURL}/radius-clients/${client.id}`);
      // In a drop row (tbody), from a worker's heartbeat: not merely somewhere on the panel.
      await expect(panel.locator("tbody")).toContainText("bad_message_authenticator", { timeout: 2000 });
    }).toPass({ timeout: 40_000 });
    await expect(panel).toContainText("e2e-worker");
    // Each code with what it usually means, in plain words.
    await expect(panel.locator("tbody")).toContainText(describeDropReason("bad_message_authenticator"));
    await testInfo.attach("radius-client-drops", { body: await page.screenshot({ fullPage: true, path: testInfo.outputPath("radius-client-drops.png") }), contentType: "image/png" });

    await page.goto(run.baseURL);
    const drops = page.getByTestId("worker-client-drops");
    await expect(drops.getByRole("row", { name: new RegExp(client.name) }).first()).toContainText("bad_message_authenticator");
    await expect(drops.getByRole("row", { name: new RegExp(client.name) }).first()).toContainText(describeDropReason("bad_message_authenticator"));
    // The login the right secret made is listed by reason with its description beside the code.
    await expect(page.getByTestId("by-reason")).toBeVisible();
    await expect(drops.getByRole("link", { name: client.name }).first()).toHaveAttribute("href", `/radius-clients/${client.id}`);
    await expect(page.getByTestId("worker-config-problems")).toBeVisible();
    await testInfo.attach("dashboard-worker-health", { body: await page.screenshot({ fullPage: true, path: testInfo.outputPath("dashboard-worker-health.png") }), contentType: "image/png" });

    const ready = await request.get(`${run.baseURL}/readyz`);
    expect(ready.status()).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", database: "reachable" });
    expect((await request.get(`${run.baseURL}/livez`)).status()).toBe(200);
  } finally {
    await remove();
  }
});
