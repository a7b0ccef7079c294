import type { TPrisma } from "../db";
import { normalizeUsername } from "../policy/normalize-username";
import { encryptSecret } from "../secrets/envelope";
import { parseHotpCsv, type THotpCsvError } from "./parse-hotp-csv";

type TTx = Parameters<Parameters<TPrisma["$transaction"]>[0]>[0];
export type TImportedHotpToken = { serial: string; username: string; authenticatorId: string };
export type TImportHotpTokensOptions = {
  prisma: TPrisma;
  csv: string;
  digits?: number;
  // Runs inside each token's transaction (the caller's audit row), so a token is never left without it.
  onImported?: (options: { tx: TTx; token: TImportedHotpToken }) => Promise<void>;
};
export type TImportHotpTokensResult = { imported: TImportedHotpToken[]; errors: THotpCsvError[] };

const isUniqueViolation = (error: unknown): boolean =>
  typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "P2002";

// Hardware tokens are active on import: the admin who assigns a token vouches for who holds it. Each row is its own
// transaction so one duplicate serial does not throw away the rest of the file.
export const importHotpTokens = async ({ prisma, csv, digits = 6, onImported }: TImportHotpTokensOptions): Promise<TImportHotpTokensResult> => {
  const { rows, errors } = parseHotpCsv({ csv });
  const imported: TImportHotpTokensResult["imported"] = [];
  for (const row of rows) {
    if (!row.username) {
      errors.push({ line: row.line, message: "Username column is required to assign the token" });
      continue;
    }
    const username = normalizeUsername({ username: row.username, mode: "none" });
    const user = await prisma.user.findUnique({ where: { username }, select: { id: true } });
    if (!user) {
      errors.push({ line: row.line, message: `No user ${username}` });
      continue;
    }
    const exists = await prisma.authenticator.findFirst({ where: { kind: "hotp", serial: row.serial }, select: { id: true } });
    if (exists) {
      errors.push({ line: row.line, message: `A token with serial ${row.serial} already exists` });
      continue;
    }
    try {
      const token = await prisma.$transaction(async (tx) => {
        const created = await tx.authenticator.create({
          data: { userId: user.id, kind: "hotp", name: `Token ${row.serial}`, serial: row.serial, secret: encryptSecret(row.secretBase32), counter: BigInt(row.counter), digits, active: true },
          select: { id: true },
        });
        const token = { serial: row.serial, username, authenticatorId: created.id };
        await onImported?.({ tx, token });
        return token;
      });
      imported.push(token);
    } catch (error) {
      // Another import took the serial since the check above: this row's problem, not the file's.
      if (!isUniqueViolation(error)) throw error;
      errors.push({ line: row.line, message: `A token with serial ${row.serial} already exists` });
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return { imported, errors };
};
