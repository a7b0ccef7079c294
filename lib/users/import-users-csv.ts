import { z } from "zod";
import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";
import { AppError } from "../errors/app-error";
import { recordAuditEvent } from "../audit/record-audit-event";
import { ZUsernameSchema } from "./schema";

export type TImportRowError = { line: number; message: string };

const ZRowSchema = z.object({
  username: ZUsernameSchema,
  email: z.preprocess((value) => (value === "" ? undefined : value), z.email("not a valid email address").optional()),
  groups: z.array(z.string().trim().min(1)),
});

// Minimal RFC 4180: quoted fields with "" escapes, commas and newlines inside quotes.
const parseCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const endRow = () => {
    row.push(field);
    rows.push(row);
    row = [];
    field = "";
  };
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[index + 1] === "\n") index += 1;
      endRow();
    } else field += char;
  }
  if (field !== "" || row.length > 0) endRow();
  return rows;
};

// username,email,groups (groups separated by ';'). Every row is checked first; any error imports nothing.
// Unknown groups are created; existing users are updated (email, and the listed groups are added).
export const importUsersCsv = async (options: { prisma: TPrisma; actor: TActor; csv: string }): Promise<{ created: number; updated: number }> => {
  const rows = parseCsv(options.csv.replace(/^\uFEFF/, ""));
  const errors: TImportRowError[] = [];
  const parsed: { line: number; username: string; email?: string; groups: string[] }[] = [];
  const seen = new Map<string, number>();
  rows.forEach((cells, index) => {
    const line = index + 1;
    if (cells.every((cell) => cell.trim() === "")) return;
    if (index === 0 && cells[0]?.trim().toLowerCase() === "username") return;
    const result = ZRowSchema.safeParse({ username: cells[0] ?? "", email: cells[1]?.trim() ?? "", groups: (cells[2] ?? "").split(";").filter((group) => group.trim()) });
    if (!result.success) return errors.push({ line, message: result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ") });
    const previous = seen.get(result.data.username);
    if (previous) return errors.push({ line, message: `username ${result.data.username} already appears on line ${previous}` });
    seen.set(result.data.username, line);
    parsed.push({ line, ...result.data, groups: result.data.groups.map((group) => group.trim()) });
  });
  if (errors.length > 0) throw new AppError("VALIDATION", `${errors.length} row(s) have errors; nothing was imported`, { fieldErrors: { csv: errors.map((error) => `Line ${error.line}: ${error.message}`) } });
  if (parsed.length === 0) throw new AppError("VALIDATION", "The file has no rows", { fieldErrors: { csv: ["The file has no rows"] } });

  return options.prisma.$transaction(async (tx) => {
    let created = 0;
    const groupIds = new Map<string, string>();
    for (const name of new Set(parsed.flatMap((row) => row.groups))) {
      const group = await tx.group.upsert({ where: { name }, create: { name }, update: {} });
      groupIds.set(name, group.id);
    }
    for (const row of parsed) {
      const existing = await tx.user.findUnique({ where: { username: row.username }, select: { id: true } });
      const user = existing
        ? await tx.user.update({ where: { id: existing.id }, data: row.email ? { email: row.email } : {} })
        : await tx.user.create({ data: { username: row.username, email: row.email ?? null } });
      if (!existing) created += 1;
      const ids = row.groups.map((name) => groupIds.get(name)).filter((id): id is string => Boolean(id));
      if (ids.length > 0) await tx.groupMember.createMany({ data: ids.map((groupId) => ({ userId: user.id, groupId })), skipDuplicates: true });
    }
    const updated = parsed.length - created;
    await recordAuditEvent({ db: tx, actor: options.actor, action: "user.import_csv", targetType: "User", after: { created, updated, usernames: parsed.map((row) => row.username).slice(0, 500) } });
    return { created, updated };
  }, { timeout: 60_000 });
};
