import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { Client } from "ldapts";
import { startSlapd, type TSlapd } from "../lib/testing/slapd";
import { testPrisma } from "./support/db";
import { signIn } from "./support/sign-in";
import { readRun } from "./support/state";

// The admin's directory sync, in the browser: choose a directory group, preview the diff (nothing written), apply it.
let slapd: TSlapd;
test.beforeAll(async () => {
  slapd = await startSlapd();
});
test.afterAll(async () => {
  await slapd?.stop();
});

test("directory sync: choose a group, dry-run shows the diff, apply imports it", async ({ page }, testInfo) => {
  const prisma = await testPrisma();
  const { encryptSecret } = await import("../lib/secrets/envelope");
  const suffix = randomUUID().slice(0, 8);
  const people = [`ds${suffix}ann`, `ds${suffix}ben`];
  const groupName = `ds-${suffix}-vpn`;
  const root = new Client({ url: slapd.url });
  await root.bind(slapd.rootDn, slapd.rootPassword);
  for (const uid of people) {
    await root.add(`uid=${uid},${slapd.peopleDn}`, { objectClass: "inetOrgPerson", uid, cn: `Person ${uid}`, sn: uid, mail: `${uid}@twofold.test` });
  }
  // A hostile entry in the same group: its name folds onto the first person's, so both are refused and reported.
  await root.add(`ou=x${suffix},${slapd.baseDn}`, { objectClass: "organizationalUnit", ou: `x${suffix}` });
  const twinDn = `uid=${people[0]!.toUpperCase()},ou=x${suffix},${slapd.baseDn}`;
  await root.add(twinDn, { objectClass: "inetOrgPerson", uid: people[0]!.toUpperCase(), cn: "Twin", sn: "Twin" });
  await root.add(`cn=${groupName},${slapd.groupsDn}`, { objectClass: "groupOfNames", cn: groupName, member: [...people.map((uid) => `uid=${uid},${slapd.peopleDn}`), twinDn] });
  await root.unbind();
  const server = await prisma.primaryAuthServer.create({
    data: { name: `ldap-${suffix}`, kind: "ldap", host: "127.0.0.1", port: slapd.port, secret: encryptSecret(slapd.bindPassword), bindDn: slapd.bindDn, baseDn: slapd.baseDn },
  });
  try {
    await signIn(page);
    await page.goto(`${readRun().baseURL}/primary-auth/${server.id}`);
    await page.getByRole("link", { name: "Directory sync" }).click();
    await expect(page.getByRole("heading", { name: `Directory sync: ldap-${suffix}` })).toBeVisible();
    await page.getByRole("checkbox", { name: new RegExp(`^${groupName} \\(3 members\\)`) }).check();
    await page.getByRole("button", { name: "Save sync settings" }).click();
    await expect(page.getByTestId("directory-sync-settings").getByRole("status")).toContainText("Saved.");

    await page.getByRole("button", { name: "Preview sync (dry run)" }).click();
    await expect(page.getByTestId("diff-creates")).toContainText(`+ ${people[1]} (Person ${people[1]}) <${people[1]}@twofold.test>`);
    await expect(page.getByTestId("diff-group-creates")).toContainText(`+ ${groupName}`);
    await expect(page.getByTestId("diff-refused")).toContainText("same account name");
    await expect(page.getByTestId("diff-refused")).toContainText(twinDn);
    expect(await prisma.user.count({ where: { username: { in: people } } })).toBe(0); // a dry-run writes nothing
    await page.screenshot({ fullPage: true, path: testInfo.outputPath("directory-sync-preview.png") });

    await page.getByRole("button", { name: "Apply these changes" }).click();
    await expect(page.getByTestId("sync-applied")).toBeVisible();
    expect((await prisma.user.findMany({ where: { username: { in: people } }, select: { username: true } })).map((row) => row.username)).toEqual([people[1]]);
    const members = await prisma.groupMember.findMany({ where: { group: { name: groupName } }, include: { user: { select: { username: true } } } });
    expect(members.map((row) => row.user.username)).toEqual([people[1]]);
    expect(await prisma.adminAuditEvent.count({ where: { action: "directory_sync.apply", targetId: server.id } })).toBe(1);

    // A second preview has nothing to do but report the refused pair again.
    await page.getByRole("button", { name: "Preview again" }).click();
    await expect(page.getByTestId("sync-no-changes")).toBeVisible();
    await page.reload();
    await expect(page.getByTestId("sync-last-run")).toContainText("applied");
  } finally {
    await prisma.user.deleteMany({ where: { username: { in: people } } });
    await prisma.group.deleteMany({ where: { name: groupName } });
    await prisma.primaryAuthServer.delete({ where: { id: server.id } });
  }
});
