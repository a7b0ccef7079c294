import type { TPrisma } from "../db";

// What a factor check touches. Either the client or the caller's interactive transaction, so the check that consumes a
// code and the write that grants access commit together or not at all.
export type TFactorDb = Pick<TPrisma, "authenticator" | "bypassCode" | "user" | "enrollmentLink" | "$queryRaw">;
