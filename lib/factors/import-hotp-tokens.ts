import type { TPrisma } from "../db";
import { normalizeUsername } from "../policy/normalize-username";
import { encryptSecret } from "../secrets/envelope";
import { parseHotpCsv, type THotpCsvError } from "./parse-hotp-csv";

export type TImportHotpTokensOptions = { prisma: TPrisma; csv: string; digits?: number };
export type TImportHotpTokensResult = { imported: { serial: string; username: string; authenticatorId: string }[]; errors: THotpCsvError[] };

// Hardware tokens are active on import: the admin who assigns a token vouches for who holds it. Each row is its own
// insert so one duplicate serial does not throw away the rest of the file.
export const importHotpTokens = async ({ prisma, csv, digits = 6 }: TImportHotpTokensOptions): Promise<TImportHotpTokensResult> => {
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
    const created = await prisma.authenticator.create({
      data: { userId: user.id, kind: "hotp", name: `Token ${row.serial}`, serial: row.serial, secret: encryptSecret(row.secretBase32), counter: BigInt(row.counter), digits, active: true },
      select: { id: true },
    });
    imported.push({ serial: row.serial, username, authenticatorId: created.id });
  }
  errors.sort((a, b) => a.line - b.line);
  return { imported, errors };
};
