import { createHash } from "node:crypto";

// Names a key without revealing it: a document encrypted for one key says which, so an import with another key
// fails with "wrong key" before any GCM error.
export const keyFingerprint = (key: Buffer): string => `sha256:${createHash("sha256").update("twofold-config-key").update(key).digest("hex").slice(0, 16)}`;
