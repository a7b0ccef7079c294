import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Secret, TOTP } from "otpauth";
import { stateDir } from "./state";

const PERIOD_MS = 30_000;
// A code for the step before the current one is typed only while this much of the step is left, so it is still in
// the console's ±1 window when the form reaches it.
const MARGIN_MS = 5_000;

const usedFile = () => path.join(stateDir(), "totp-steps.json");
const readUsed = (): Record<string, number> => (existsSync(usedFile()) ? (JSON.parse(readFileSync(usedFile(), "utf8")) as Record<string, number>) : {});

// The console spends each admin TOTP step once (lib/auth/claim-admin-totp-step.ts), so an account signed in to twice
// in one step needs another code, as a person would wait for their app's next one. This returns a code for a step
// not typed before in this run (enrollment included): the oldest still in the window, else the next one, waiting for
// the clock when the window is used up. The run's specs share one worker, so a file in the state dir is enough.
export const freshTotp = async (secret: string): Promise<string> => {
  const key = createHash("sha256").update(secret).digest("hex").slice(0, 16);
  const last = readUsed()[key] ?? -Infinity;
  for (;;) {
    const now = Date.now();
    const current = Math.floor(now / PERIOD_MS);
    const oldest = now % PERIOD_MS < PERIOD_MS - MARGIN_MS ? current - 1 : current;
    const step = Math.max(oldest, last + 1);
    if (step <= current + 1) {
      writeFileSync(usedFile(), JSON.stringify({ ...readUsed(), [key]: step }), { mode: 0o600 });
      return new TOTP({ algorithm: "SHA1", digits: 6, period: PERIOD_MS / 1000, secret: Secret.fromBase32(secret) }).generate({ timestamp: step * PERIOD_MS });
    }
    await sleep((current + 1) * PERIOD_MS - now + 50);
  }
};
