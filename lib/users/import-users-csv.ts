import { z } from "zod";
import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { recordAuditEvent } from "../audit/record-audit-event";
import { hashPassword } from "../auth/password";
import { parseCsvLines } from "../csv/parse-csv-lines";
import { ZLocalPasswordSchema } from "./local-password-schema";
import { ZUsernameSchema } from "./schema";

export type TImportRowError = { line: number; message: string };
export type TImportUsersResult = { created: number; updated: number; passwordsSet: number; errors: TImportRowError[] };

const COLUMNS = ["username", "email", "groups", "password"] as const;
type TColumn = (typeof COLUMNS)[number];

const ZRowSchema = z.object({
  username: ZUsernameSchema,
  email: z.preprocess((value) => (value === "" ? undefined : value), z.email("not a valid email address").max(200, "at most 200 characters").optional()),
  groups: z.array(z.string().trim().min(1).max(100, "a group name is at most 100 characters")).max(100, "at most 100 groups"),
  // Empty: the user's password is left as it is. Messages never quote the value.
  password: z.preprocess((value) => (value === "" ? undefined : value), ZLocalPasswordSchema.optional()),
});
type TRow = z.infer<typeof ZRowSchema> & { line: number };

// A header row names the columns (any order, any subset with username); without one they are username,email,groups,password.
const readHeader = (cells: string[]): Map<TColumn, number> | undefined => {
  const names = cells.map((cell) => cell.trim().toLowerCase());
  if (!names.includes("username")) return undefined;
  return new Map(COLUMNS.flatMap((column) => (names.includes(column) ? [[column, names.indexOf(column)] as const] : [])));
};

const formatIssues = (error: z.ZodError) => error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");

// Rows are independent: each bad row (bad CSV on that line, a bad value, a name twice) is reported with its line and
// skipped, the others import. Unknown groups are created; existing users get the email, the listed groups added and
// a non-empty password replaced. Passwords are hashed (argon2id) before anything is written, never stored or logged.
export const importUsersCsv = async (options: { prisma: TPrisma; actor: TActor; csv: string }): Promise<TImportUsersResult> => {
  const errors: TImportRowError[] = [];
  const parsed: TRow[] = [];
  const seen = new Map<string, number>();
  let columns: Map<TColumn, number> = new Map(COLUMNS.map((column, index) => [column, index]));
  parseCsvLines({ text: options.csv }).forEach((entry, index) => {
    const { line } = entry;
    if ("error" in entry) return void errors.push({ line, message: entry.error });
    if (index === 0) {
      const header = readHeader(entry.cells);
      if (header) return void (columns = header);
    }
    const cell = (column: TColumn) => {
      const position = columns.get(column);
      return position === undefined ? "" : (entry.cells[position] ?? "");
    };
    const result = ZRowSchema.safeParse({ username: cell("username"), email: cell("email").trim(), groups: cell("groups").split(";").filter((group) => group.trim()), password: cell("password") });
    if (!result.success) return void errors.push({ line, message: formatIssues(result.error) });
    const previous = seen.get(result.data.username);
    if (previous) return void errors.push({ line, message: `username ${result.data.username} already appears on line ${previous}` });
    seen.set(result.data.username, line);
    parsed.push({ line, ...result.data, groups: result.data.groups.map((group) => group.trim()) });
  });
  if (parsed.length === 0) {
    const lines = errors.length > 0 ? errors.map((error) => `Line ${error.line}: ${error.message}`) : ["The file has no rows"];
    throw new AppError("VALIDATION", errors.length > 0 ? `${errors.length} row(s) have errors; nothing was imported` : "The file has no rows", { fieldErrors: { csv: lines } });
  }

  // Hashing is the slow part (tens of ms each): a few at a time, outside the transaction.
  const hashes = new Map<number, string>();
  const withPassword = parsed.filter((row) => row.password !== undefined);
  for (let start = 0; start < withPassword.length; start += 4) {
    await Promise.all(withPassword.slice(start, start + 4).map(async (row) => hashes.set(row.line, await hashPassword(row.password ?? ""))));
  }

  const counts = await options.prisma.$transaction(async (tx) => {
    let created = 0;
    const groupIds = new Map<string, string>();
    for (const name of new Set(parsed.flatMap((row) => row.groups))) {
      const group = await tx.group.upsert({ where: { name }, create: { name }, update: {} });
      groupIds.set(name, group.id);
    }
    for (const row of parsed) {
      const passwordHash = hashes.get(row.line);
      const password = passwordHash ? { passwordHash, passwordChoiceRequired: false } : {};
      const existing = await tx.user.findUnique({ where: { username: row.username }, select: { id: true } });
      const user = await tx.user.upsert({
        where: { username: row.username },
        create: { username: row.username, email: row.email ?? null, ...password },
        update: { ...(row.email ? { email: row.email } : {}), ...password },
        select: { id: true },
      });
      if (!existing) created += 1;
      const ids = row.groups.map((name) => groupIds.get(name)).filter((id): id is string => Boolean(id));
      if (ids.length > 0) await tx.groupMember.createMany({ data: ids.map((groupId) => ({ userId: user.id, groupId })), skipDuplicates: true });
    }
    const updated = parsed.length - created;
    await recordAuditEvent({
      db: tx,
      actor: options.actor,
      action: "user.import_csv",
      targetType: "User",
      after: { created, updated, passwordsSet: hashes.size, skippedLines: errors.map((error) => error.line), usernames: parsed.map((row) => row.username).slice(0, 500) },
    });
    return { created, updated };
  }, { timeout: 60_000 });
  return { ...counts, passwordsSet: hashes.size, errors };
};
