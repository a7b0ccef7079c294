import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

// Handed from global setup (and the owner-setup test) to every test through files in a run-private directory.
export type TE2eRun = { baseURL: string; setupToken: string; stateDir: string; radiusAuthPort?: number; radiusAcctPort?: number; databaseUrl: string; secretKey: string };
export type TOwner = { email: string; password: string; totpSecret: string };

export const stateDir = (): string => {
  const dir = process.env.TWOFOLD_E2E_STATE_DIR;
  if (!dir) throw new Error("TWOFOLD_E2E_STATE_DIR is not set: run the browser tests through `npx playwright test`");
  return dir;
};

export const readRun = (): TE2eRun => JSON.parse(readFileSync(path.join(stateDir(), "run.json"), "utf8")) as TE2eRun;

export const writeOwner = (owner: TOwner): void => writeFileSync(path.join(stateDir(), "owner.json"), JSON.stringify(owner), { mode: 0o600 });

export const readOwner = (): TOwner => JSON.parse(readFileSync(path.join(stateDir(), "owner.json"), "utf8")) as TOwner;
