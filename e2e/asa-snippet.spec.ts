import { expect, test } from "@playwright/test";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../lib/testing/free-port";
import { startProcess, stopProcess } from "./support/processes";
import { signIn } from "./support/sign-in";
import { readRun } from "./support/state";

// The application page's Cisco ASA card (components/applications/asa-snippet-card.tsx): with only the run's worker,
// which listens on loopback, there is no address an ASA could reach, so the snippet has the placeholder and the card
// says why; once a real worker on this host's own address heartbeats, the snippet names that address and the ports it
// bound, and the copy button puts exactly the snippet on the clipboard.
const hostAddress = (): string => {
  const found = Object.values(networkInterfaces()).flatMap((list) => list ?? []).find((info) => info.family === "IPv4" && !info.internal);
  if (!found) throw new Error("this host has no non-loopback IPv4 address for a NAS-reachable worker");
  return found.address;
};

test("ASA card: placeholder and why without a reachable worker; a running worker's address, ports, CoA, accounting group and MS-CHAPv2; copy copies the snippet", async ({ page, context }) => {
  const run = readRun();
  process.env.DATABASE_URL = run.databaseUrl;
  process.env.TWOFOLD_SECRET_KEY = run.secretKey;
  const { createConfigPrisma } = await import("../lib/config/create-config-prisma");
  const { encryptSecret } = await import("../lib/secrets/envelope");
  const prisma = createConfigPrisma({ databaseUrl: run.databaseUrl, max: 2 });
  const suffix = randomUUID().slice(0, 8);
  const coaPort = 20_000 + Math.floor(Math.random() * 20_000);
  const workerId = `asa-e2e-${suffix}`;
  // An application whose primary is upstream RADIUS: Twofold relays MS-CHAPv2 to it, so the ASA may send it.
  const application = await prisma.application.create({
    data: { name: `ASA e2e ${suffix}`, ikey: randomBytes(10).toString("hex").toUpperCase(), skey: encryptSecret("s".repeat(40)), primaryAuthMode: "radius", factorEntry: "append" },
  });
  const client = await prisma.radiusClient.create({ data: { name: `asa-e2e-nas-${suffix}`, address: "198.51.100.77/32", secret: encryptSecret(`asa-${suffix}`), applicationId: application.id, coaPort } });
  const group = `TWOFOLD-ASA-E2E-${suffix.toUpperCase()}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), "twofold-e2e-asa-"));
  let worker: ReturnType<typeof startProcess> | undefined;
  try {
    await signIn(page);
    const snippet = page.getByTestId("asa-snippet");
    const notes = page.getByTestId("asa-notes");

    // Only the run's worker, on 127.0.0.1: nothing an ASA could reach.
    expect(await prisma.workerStatus.count({ where: { reachableAddresses: { isEmpty: false } } })).toBe(0);
    await page.goto(`${run.baseURL}/applications/${application.id}`);
    await expect(snippet).toContainText(`aaa-server ${group} (inside) host <TWOFOLD-WORKER-ADDRESS>`);
    await expect(notes).toContainText(/No worker has reported in yet\.|listen on loopback only or have reported no reachable address/);
    await expect(notes).toContainText("Set TWOFOLD_WORKER_ADDRESSES to the addresses the ASA reaches the workers at; the snippet has a placeholder until then.");

    // A real worker on this host's address, on its own free ports.
    const address = hostAddress();
    const [authPort, acctPort] = [await freePort(), await freePort()];
    worker = startProcess("asa-worker", process.execPath, ["--import", "tsx", "worker/main.ts"], {
      ...process.env,
      TWOFOLD_RADIUS_HOST: address,
      TWOFOLD_RADIUS_AUTH_PORT: String(authPort),
      TWOFOLD_RADIUS_ACCT_PORT: String(acctPort),
      TWOFOLD_COA_PORTS: "",
      TWOFOLD_HEALTH_PORT: String(await freePort()),
      TWOFOLD_API_PORT: "off",
      TWOFOLD_WORKER_PROCESSES: "1",
      TWOFOLD_WORKER_ID: workerId,
      TWOFOLD_DATA_DIR: dataDir,
    });
    await expect.poll(async () => (await prisma.workerStatus.findUnique({ where: { id: workerId } }))?.reachableAddresses, { timeout: 60_000 }).toEqual([address]);

    await page.goto(`${run.baseURL}/applications/${application.id}`);
    const text = (await snippet.textContent()) ?? "";
    expect(text).toContain(
      [`aaa-server ${group} (inside) host ${address}`, " timeout 60", " key *****", ` authentication-port ${authPort}`, ` accounting-port ${acctPort}`, " mschapv2-capable"].join("\n"),
    );
    expect(text).toContain(`aaa-server ${group} protocol radius\n dynamic-authorization port ${coaPort}\n`);
    expect(text).toContain(` authentication-server-group ${group}\n password-management\n`);
    expect(text).toContain(` accounting-server-group ${group}\n`);
    expect(text).not.toContain("<TWOFOLD-WORKER-ADDRESS>");
    expect(text).not.toContain("no mschapv2-capable");
    await expect(notes).toHaveCount(0);

    // The copy button copies the snippet, byte for byte (127.0.0.1 is a secure context, so the clipboard API works).
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: run.baseURL });
    await page.getByRole("button", { name: "Copy configuration" }).click();
    await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);
  } finally {
    await stopProcess(worker);
    // Its heartbeat row would otherwise put this host's address in every later snippet of the run for a day.
    await prisma.workerStatus.deleteMany({ where: { id: workerId } });
    await prisma.radiusClient.delete({ where: { id: client.id } });
    await prisma.application.delete({ where: { id: application.id } });
    await prisma.$disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
