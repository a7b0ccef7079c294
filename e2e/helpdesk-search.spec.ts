import { expect, test } from "@playwright/test";
import { randomBytes, randomUUID } from "node:crypto";
import { Secret } from "otpauth";
import { hashPassword } from "../lib/auth/password";
import { describeReason } from "../lib/auth-log/reason-messages";
import { encryptSecret } from "../lib/secrets/envelope";
import { testPrisma } from "./support/db";
import { signIn } from "./support/sign-in";
import { readRun } from "./support/state";

// Helpdesk finds a person the way the person spelled themselves: by the start of the name, as typed at the VPN prompt
// (CORP\Alice, alice@corp.example), or through the policy's normalization; and goes from the log to the user's page.
test("helpdesk search: prefix, typed name and DOMAIN\\user find the user in the users list and the auth log; the log links to the user", async ({ page }, testInfo) => {
  const shot = async (name: string) => testInfo.attach(name, { body: await page.screenshot({ fullPage: true, path: testInfo.outputPath(`${name}.png`) }), contentType: "image/png" });
  const run = readRun();
  const prisma = await testPrisma();
  const tag = randomBytes(4).toString("hex");
  const username = `alice-${tag}`;
  const helpdesk = { email: `desk-${tag}@example.test`, password: `desk password ${tag}`, totpSecret: new Secret({ size: 20 }).base32 };
  await prisma.admin.create({ data: { email: helpdesk.email, passwordHash: await hashPassword(helpdesk.password), totpSecret: encryptSecret(helpdesk.totpSecret), totpEnabled: true, role: "helpdesk" } });
  // An application whose policy strips DOMAIN\ and @domain: the search tries that normalization too.
  const application = await prisma.application.create({ data: { name: `search-${tag}`, ikey: `DI${tag.toUpperCase()}SEARCH0000`.slice(0, 20), skey: encryptSecret(randomBytes(20).toString("hex")), primaryAuthMode: "local" } });
  await prisma.policy.create({ data: { applicationId: application.id, usernameNormalization: "strip_domain" } });
  const user = await prisma.user.create({ data: { username, email: `${username}@corp.example`, displayName: `Alice ${tag}` } });
  const event = (usernameRaw: string, minutes: number, reason: string) => ({
    eventId: randomUUID(), time: new Date(Date.now() - minutes * 60_000), usernameRaw, username, userId: user.id, applicationId: application.id,
    result: reason === "valid_passcode" ? ("success" as const) : ("failure" as const), reason, workerId: "e2e-search",
  });
  await prisma.authEvent.createMany({ data: [event(`CORP\\Alice-${tag}`, 2, "passcode_replayed"), event(`Alice-${tag}@corp.example`, 1, "valid_passcode")] });

  try {
    await signIn(page, helpdesk);

    // Users list.
    const searchUsers = async (query: string) => {
      await page.goto(`${run.baseURL}/users`);
      await page.getByLabel("Search").fill(query);
      await page.getByRole("button", { name: "Search" }).click();
      await page.waitForURL(/\/users\?q=/);
    };
    for (const query of [`alice-${tag.slice(0, 4)}`, `CORP\\${username}`, `${username.toUpperCase()}@corp.example`]) {
      await searchUsers(query);
      await expect(page.getByTestId("users").getByRole("link", { name: username }), query).toBeVisible();
    }
    await shot("users-search-domain-user");
    for (const hostile of ["%", "_", "\\", "x".repeat(10_000)]) {
      await searchUsers(hostile);
      await expect(page.getByTestId("users").getByRole("link", { name: username }), hostile.slice(0, 5)).toHaveCount(0);
    }

    // Auth log: each spelling finds both events, each with its reason in plain language.
    const filterLog = async (query: string) => {
      await page.goto(`${run.baseURL}/auth-log`);
      await page.getByLabel("User", { exact: true }).fill(query);
      await page.getByRole("button", { name: "Filter" }).click();
      await page.waitForURL(/\/auth-log\?.*user=/);
    };
    for (const query of [`ali`, `CORP\\Alice-${tag}`, `alice-${tag}@corp.example`, `corp\\${username}`]) {
      await filterLog(query);
      const rows = page.getByTestId("auth-log").locator("tbody tr").filter({ hasText: username });
      await expect(rows, query).toHaveCount(2);
    }
    const replayed = page.getByTestId("auth-log").locator("tbody tr").filter({ hasText: `CORP\\Alice-${tag}` });
    await expect(replayed.getByTestId("event-reason")).toHaveText("passcode_replayed");
    await expect(replayed.getByTestId("event-reason-text")).toHaveText(describeReason("passcode_replayed"));
    await expect(replayed.getByTestId("event-reason")).toHaveAttribute("title", describeReason("passcode_replayed"));
    await replayed.getByText("trace").click();
    await expect(replayed).toContainText(`reason: passcode_replayed — ${describeReason("passcode_replayed")}`);
    await shot("auth-log-search-with-reasons");

    // The CSV carries the plain-language reason beside the code.
    const csv = await (await page.request.get(`${run.baseURL}/api/auth-events/export?user=${encodeURIComponent(username)}`)).text();
    expect(csv.split("\n")[0]).toContain("reason,reasonText");
    const cell = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
    expect(csv).toContain(`passcode_replayed,${cell(describeReason("passcode_replayed"))}`);

    // From the log to the person.
    await replayed.getByTestId("event-user-link").click();
    await page.waitForURL(`${run.baseURL}/users/${user.id}`);
    await expect(page.locator("h1")).toHaveText(username);
    await expect(page.getByTestId("user-log").locator("tbody tr")).toHaveCount(2);
    await expect(page.getByTestId("user-log").getByTestId("event-reason-text").first()).toHaveText(describeReason("valid_passcode"));
    await shot("user-page-log-reasons");
  } finally {
    await prisma.authEvent.deleteMany({ where: { workerId: "e2e-search" } });
    await prisma.user.delete({ where: { id: user.id } });
    await prisma.application.delete({ where: { id: application.id } });
    await prisma.admin.deleteMany({ where: { email: helpdesk.email } });
  }
});
