import { z } from "zod";

const blank = (value: unknown) => (value === "" || value === null ? undefined : value);
const NO_CONTROL = /^[^\p{Cc}\p{Cf}]*$/u;
const dn = z.string().trim().max(500, "Keep the DN under 500 characters").regex(NO_CONTROL, "No control characters");
const attribute = (fallback: string) =>
  z.preprocess(blank, z.string().trim().regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, "Use an attribute name such as displayName or mail").default(fallback));
const filter = (fallback: string) =>
  z.preprocess(
    blank,
    z.string().trim().max(1000).regex(NO_CONTROL, "No control characters").regex(/^\(.*\)$/s, "An LDAP filter in parentheses, e.g. (objectClass=person)")
      .refine((value) => !value.includes("{username}"), "This filter lists all users: it takes no {username}").default(fallback),
  );

export const DEFAULT_USER_FILTER = "(|(objectClass=inetOrgPerson)(objectClass=user))";
export const DEFAULT_GROUP_FILTER = "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=group))";

// The console's form and the API share this schema.
export const ZDirectorySyncSettingsSchema = z.object({
  userBaseDn: z.preprocess(blank, dn.optional()),
  userFilter: filter(DEFAULT_USER_FILTER),
  groupBaseDn: z.preprocess(blank, dn.optional()),
  groupFilter: filter(DEFAULT_GROUP_FILTER),
  groupDns: z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(dn.min(3)).max(500, "Choose at most 500 groups")),
  displayNameAttribute: attribute("displayName"),
  emailAttribute: attribute("mail"),
  // Blank: no schedule, only "sync now". Five minutes at least: a sync reads the whole directory.
  intervalMinutes: z.preprocess(blank, z.coerce.number("Minutes, as a number").int().min(5, "At least 5 minutes").max(10_080, "At most a week (10 080)").optional()),
});
export type TDirectorySyncSettings = z.infer<typeof ZDirectorySyncSettingsSchema>;
