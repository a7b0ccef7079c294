import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { z } from "zod";
import { parseSecretKey } from "../secrets/secret-key";

export const BACKUP_DUMP_FILE = "database.dump";
export const BACKUP_MANIFEST_FILE = "manifest.json";
export const BACKUP_SPOOL_DIR = "spool";

// manifest.json of a backup folder: what restore checks before it touches the target database.
export const ZBackupManifestSchema = z.object({
  format: z.literal(1),
  createdAt: z.iso.datetime(),
  // Which key the secrets in the dump are encrypted with, without the key: restore refuses another one up front.
  keyFingerprint: z.string().regex(/^[0-9a-f]{16}$/),
  serverMajor: z.number().int().positive(),
  pgDumpMajor: z.number().int().positive(),
  migrations: z.array(z.string().min(1)),
  // The auth-log spool of the data folder backed up (events journaled, not yet in the database); plain names only.
  spoolFiles: z.array(z.object({ name: z.string().regex(/^[^/\\\0]+$/).refine((name) => name !== "." && name !== ".."), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
  dumpSha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export type TBackupManifest = z.infer<typeof ZBackupManifestSchema>;

// A hash of a 256-bit random key says nothing about the key; the domain prefix keeps it from matching any other use.
export const keyFingerprint = (secretKey: string): string =>
  createHash("sha256").update("twofold backup key fingerprint\n").update(parseSecretKey(secretKey)).digest("hex").slice(0, 16);

export const sha256File = async (file: string): Promise<string> => {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
};
