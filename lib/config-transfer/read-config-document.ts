import { AppError } from "../errors/app-error";
import { decryptSecret } from "../secrets/envelope";
import { ZConfigDocumentSchema, type TConfigDocument } from "./config-document-schema";
import { keyFingerprint } from "./key-fingerprint";

// The file as `config export` wrote it; secrets (encrypted for this installation's key) come back as plaintext.
export const readConfigDocument = (options: { text: string; key: Buffer | undefined }): TConfigDocument => {
  let raw: unknown;
  try {
    raw = JSON.parse(options.text);
  } catch (error) {
    throw new AppError("VALIDATION", `Not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = ZConfigDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError("VALIDATION", "Not a Twofold configuration export", { fieldErrors: { file: parsed.error.issues.slice(0, 20).map((issue) => `${issue.path.join(".")}: ${issue.message}`) } });
  }
  const document = parsed.data;
  if (document.secrets.mode === "omitted") {
    // A secret in a file that says it has none would be a secret in clear: refused, never imported as plaintext.
    const carries = document.applications.some((application) => application.skey !== undefined) || [...document.radiusClients, ...document.primaryServers].some((item) => item.secret !== undefined);
    if (carries) throw new AppError("VALIDATION", 'The file says secrets are omitted ("secrets": {"mode": "omitted"}) but carries some: export it again with --reencrypt-for');
    return document;
  }
  const key = options.key;
  if (!key || keyFingerprint(key) !== document.secrets.keyFingerprint) {
    throw new AppError("VALIDATION", `The file's secrets are encrypted for key ${document.secrets.keyFingerprint}, not this installation's TWOFOLD_SECRET_KEY`);
  }
  const open = <T extends { secret?: string }>(item: T): T => (item.secret === undefined ? item : { ...item, secret: decryptSecret(item.secret, key) });
  return {
    ...document,
    applications: document.applications.map((application) => (application.skey === undefined ? application : { ...application, skey: decryptSecret(application.skey, key) })),
    radiusClients: document.radiusClients.map(open),
    primaryServers: document.primaryServers.map(open),
  };
};
