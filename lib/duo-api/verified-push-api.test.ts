import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDuoPython, type TDuoPythonCall } from "../testing/duo-python-client";
import { startApiFixture, type TApiFixture } from "./api-test-fixture";

// Verified push through an API that cannot ask a second question: the push goes out, the phone shows a number, and
// the user signs in again with that number as the passcode — the pipeline's own push_verify State, bound to the
// application and the name, single use; a mistyped number may be typed again, up to the challenge's attempts.
let fixture: TApiFixture;
beforeAll(async () => {
  fixture = await startApiFixture({ verifiedPush: true });
});
afterAll(async () => {
  await fixture?.stop();
});

const call = (calls: TDuoPythonCall[]) => runDuoPython({ ikey: fixture.ikey, skey: fixture.skey, host: fixture.api.host, port: fixture.api.port, ca: fixture.api.ca, calls });
const value = (result: Awaited<ReturnType<typeof call>>[number] | undefined) => {
  if (!result?.ok || !("value" in result)) throw new Error(`call failed: ${JSON.stringify(result)}`);
  return result.value;
};

describe("verified push over the Auth API", () => {
  it("push → 'enter the number' → the phone approves → the number as passcode logs in", async () => {
    const user = await fixture.seedUser({ push: true });
    const [asked] = await call([{ method: "auth", args: ["push"], kwargs: { username: user.username, device: "auto" } }]);
    expect(value(asked)).toMatchObject({ result: "deny", status_msg: expect.stringContaining("that number as your passcode") });
    const pending = await user.pending();
    expect(pending?.verifyNumber).toMatch(/^\d{2,3}$/);
    expect(await user.decide("approve")).toEqual({ ok: true, status: "approved" });
    const [login] = await call([{ method: "auth", args: ["passcode"], kwargs: { username: user.username, passcode: pending?.verifyNumber ?? "" } }]);
    expect(value(login)).toMatchObject({ result: "allow" });
    expect((await fixture.events(user.username, 2))?.map((row) => `${row.result}:${row.reason}`)).toEqual(["failure:challenge_issued", "success:valid_push"]);
  });

  it("a mistyped number is refused but the push stays: the right number then logs in", async () => {
    const user = await fixture.seedUser({ push: true });
    await call([{ method: "auth", args: ["push"], kwargs: { username: user.username } }]);
    const pending = await user.pending();
    const wrong = pending?.verifyNumber === "10" ? "11" : "10";
    const [refused] = await call([{ method: "auth", args: ["passcode"], kwargs: { username: user.username, passcode: wrong } }]);
    expect(value(refused)).toMatchObject({ result: "deny", status_msg: "That is not the number your phone shows. Sign in again with the number it shows as your passcode." });
    expect((await fixture.db.prisma.pushRequest.findUniqueOrThrow({ where: { id: pending?.id ?? "" } })).status).toBe("pending");
    expect(await user.decide("approve")).toEqual({ ok: true, status: "approved" });
    const [login] = await call([{ method: "auth", args: ["passcode"], kwargs: { username: user.username, passcode: pending?.verifyNumber ?? "" } }]);
    expect(value(login)).toMatchObject({ result: "allow" });
    expect((await fixture.events(user.username, 3))?.map((row) => row.reason)).toEqual(["challenge_issued", "invalid_passcode", "valid_push"]);
  });

  it("three wrong numbers end the push; the number cannot be tried after that", async () => {
    const user = await fixture.seedUser({ push: true });
    await call([{ method: "auth", args: ["push"], kwargs: { username: user.username } }]);
    const pending = await user.pending();
    const wrong = pending?.verifyNumber === "10" ? "11" : "10";
    const guess = { method: "auth", args: ["passcode"], kwargs: { username: user.username, passcode: wrong } };
    const results = await call([guess, guess, guess, { method: "auth", args: ["passcode"], kwargs: { username: user.username, passcode: pending?.verifyNumber ?? "" } }]);
    expect(results.map((result) => (value(result) as { result: string }).result)).toEqual(["deny", "deny", "deny", "deny"]);
    expect((value(results[2]) as { status_msg: string }).status_msg).toBe("That is not the number your phone shows. Please sign in again.");
    expect((await fixture.db.prisma.pushRequest.findUniqueOrThrow({ where: { id: pending?.id ?? "" } })).status).toBe("cancelled");
    expect((await fixture.events(user.username, 5))?.map((row) => row.reason)).toEqual(["challenge_issued", "invalid_passcode", "invalid_passcode", "invalid_passcode", "invalid_passcode"]);
  });
});
