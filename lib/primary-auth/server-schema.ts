import { z } from "zod";

const blank = (value: unknown) => (value === "" || value === null ? undefined : value);
const optionalText = z.preprocess(blank, z.string().trim().max(500).optional());

export const ZPrimaryAuthServerSchema = z
  .object({
    name: z.string().trim().min(1, "Name is required").max(100),
    kind: z.enum(["radius", "ldap"], "Choose RADIUS or LDAP"),
    applicationId: z.preprocess(blank, z.uuid("Choose an application").optional()),
    host: z.string().trim().min(1, "Host is required").max(255).regex(/^[A-Za-z0-9.:_-]+$/, "Use a hostname or an IP address"),
    port: z.coerce.number("Port must be a number").int().min(1, "Port must be 1–65535").max(65535, "Port must be 1–65535"),
    accountingPort: z.preprocess(blank, z.coerce.number().int().min(1).max(65535).optional()),
    // Write-only: empty on edit keeps the stored secret.
    secret: z.preprocess(blank, z.string().min(1).max(256).optional()),
    bindDn: optionalText,
    baseDn: optionalText,
    userFilter: optionalText,
    groupAttribute: optionalText,
    // An attribute name (RFC 4512 descr), so it can only ever name one attribute in the search request.
    usernameAttribute: z.preprocess(blank, z.string().trim().regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, "Use an attribute name such as sAMAccountName, uid or userPrincipalName").optional()),
    tlsMode: z.enum(["none", "starttls", "ldaps"]).default("none"),
    timeoutMs: z.coerce.number().int().min(100, "At least 100 ms").max(60_000, "At most 60 000 ms").default(5000),
    retries: z.coerce.number().int().min(0).max(5).default(1),
    position: z.coerce.number().int().min(0).max(100).default(0),
  })
  .superRefine((value, context) => {
    if (value.kind === "ldap" && !value.baseDn) context.addIssue({ code: "custom", path: ["baseDn"], message: "LDAP needs a base DN to search users in" });
  });
