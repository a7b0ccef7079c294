import { z } from "zod";
import type { TPrisma } from "../db";

type TTx = Parameters<Parameters<TPrisma["$transaction"]>[0]>[0];

export type TClaimAdminTotpStepOptions = {
  db: Pick<TTx, "$queryRaw">; // the transaction that grants the session or confirms the enrollment
  adminId: string;
  step: number; // what verifyAdminTotp matched
  totpSecret: string; // the envelope the code was checked against, as read
  purpose: "sign-in" | "enrollment";
};

const ZClaimedSchema = z.array(z.object({ id: z.string() }));

// Spends a console TOTP step: true exactly once per admin and step, on any number of console processes. One
// conditional UPDATE, which PostgreSQL serializes on the admin's row (a concurrent claim waits, then re-checks the
// WHERE against the committed row), so of ten browsers sending one code at once exactly one gets a row back. A step at
// or before the last one spent is a replay; a later step (the next code) is fresh. The seed must still be the one the
// code was checked against and TOTP in the state the purpose expects, so a reset or a finished enrollment in between
// is refused too. Runs inside the granting transaction: if the grant rolls back, the step stays unspent.
export const claimAdminTotpStep = async (options: TClaimAdminTotpStepOptions): Promise<boolean> => {
  const enabled = options.purpose === "sign-in";
  const rows = await options.db.$queryRaw`
    UPDATE "Admin" SET "totpLastStep" = ${options.step}::int
    WHERE id = ${options.adminId}::uuid AND NOT disabled AND "totpEnabled" = ${enabled}
      AND "totpSecret" = ${options.totpSecret}
      AND ("totpLastStep" IS NULL OR "totpLastStep" < ${options.step}::int)
    RETURNING id::text`;
  return ZClaimedSchema.parse(rows).length === 1;
};
