// Audit rows keep before/after for people to read; secrets never land there, only the fact that one changed.
const SECRET_KEY = /secret|password|skey|hash|token|credential/i;

export const redactSecrets = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
        key,
        SECRET_KEY.test(key) ? (inner === null || inner === undefined ? inner : "[redacted]") : redactSecrets(inner),
      ]),
    );
  }
  return value;
};
