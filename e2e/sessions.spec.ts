import { expect, test } from "@playwright/test";
import { startCoaNas } from "../lib/testing/coa-nas";
import { radclient } from "../lib/testing/radclient";
import { Attr, RadiusCode } from "../lib/radius/constants";
import { signIn } from "./support/sign-in";
import { seedLocalVpn } from "./support/seed-local-vpn";

// The user page's live sessions: radclient plays the ASA sending accounting Start through the run's real worker, a
// CoA-capable fake NAS (lib/testing/coa-nas.ts) takes the Disconnect-Request the console has that worker send (from
// its TWOFOLD_RADIUS_HOST, lib/coa/disconnect-session.ts) and ACKs it, and the session leaves the page. A session the
// NAS refuses stays, with the NAS's reason shown.
test("live sessions from accounting; Disconnect sends a Disconnect-Request to the NAS, closes the session on its ACK, audited and logged", async ({ page }) => {
  const seeded = await seedLocalVpn({ prefix: "sess", factorEntry: "append", password: (suffix) => `pw-${suffix}` });
  const { run, prisma, suffix, username, sharedSecret, client, user } = seeded;
  let refuse = false;
  const nas = await startCoaNas({ secret: sharedSecret, answer: () => (refuse ? { ack: false, errorCause: 503 } : { ack: true }) });
  await prisma.radiusClient.update({ where: { id: client.id }, data: { coaPort: nas.port } });
  const start = (session: string, framedIp: string) =>
    radclient({
      command: "acct",
      port: run.radiusAcctPort ?? 0,
      secret: sharedSecret,
      attributes: { "User-Name": username, "Acct-Session-Id": session, "Calling-Station-Id": "203.0.113.77" },
      rawAttributes: ["Acct-Status-Type = Start", `Framed-IP-Address = ${framedIp}`, "NAS-IP-Address = 127.0.0.1"],
      // A packet sent before the worker loaded the new client is dropped; a retransmit gets through.
      timeoutSec: 2,
      retries: 8,
    });
  page.on("dialog", (dialog) => void dialog.accept());
  try {
    const sessions = [`A-${suffix}`, `B-${suffix}`];
    expect((await start(sessions[0]!, "10.8.0.21")).code).toBe("Accounting-Response");
    expect((await start(sessions[1]!, "10.8.0.22")).code).toBe("Accounting-Response");

    await signIn(page);
    await page.goto(`${run.baseURL}/users/${user.id}`);
    const table = page.getByTestId("live-sessions");
    await expect(table).toContainText(sessions[0]!);
    await expect(table).toContainText("10.8.0.22");
    await expect(table).toContainText("203.0.113.77");

    // The NAS refuses: the session stays and the admin sees why.
    refuse = true;
    await page.getByTestId(`disconnect-${sessions[1]}`).getByRole("button", { name: "Disconnect" }).click();
    await expect(page.getByTestId(`disconnect-${sessions[1]}`)).toContainText(/503|not found|refused|NAK/i);
    expect(await prisma.radiusSession.count({ where: { acctSessionId: sessions[1], stoppedAt: null } })).toBe(1);

    // The NAS ACKs: the Disconnect-Request named the session, and the session is gone from the page.
    refuse = false;
    await page.getByTestId(`disconnect-${sessions[0]}`).getByRole("button", { name: "Disconnect" }).click();
    await expect(table).not.toContainText(sessions[0]!, { timeout: 15_000 });
    await expect(table).toContainText(sessions[1]!);
    const request = nas.received.find((received) => received.code === RadiusCode.DisconnectRequest && received.text(Attr.AcctSessionId) === sessions[0]);
    expect(request?.text(Attr.UserName)).toBe(username);
    expect(request?.from).toBe("127.0.0.1"); // the worker's TWOFOLD_RADIUS_HOST (e2e/global-setup.ts)
    expect(await prisma.disconnectRequest.count({ where: { session: { acctSessionId: sessions[0] }, status: "acked", claimedBy: { not: null } } })).toBe(1);
    expect(await prisma.radiusSession.count({ where: { acctSessionId: sessions[0], stoppedAt: null } })).toBe(0);
    const rows = await prisma.radiusSession.findMany({ where: { acctSessionId: { in: sessions } }, select: { id: true } });
    // Both attempts are audited, the refused one too.
    expect(await prisma.adminAuditEvent.count({ where: { action: "session.disconnect", targetId: { in: rows.map((row) => row.id) } } })).toBe(2);
    await expect.poll(async () => (await prisma.authEvent.findFirst({ where: { reason: "disconnect", username, result: "success" } }))?.result, { timeout: 10_000 }).toBe("success");
  } finally {
    await nas.stop();
    await prisma.radiusSession.deleteMany({ where: { radiusClientId: client.id } });
    await seeded.remove();
  }
});
