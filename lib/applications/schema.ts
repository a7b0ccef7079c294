import { z } from "zod";

const checkbox = z.preprocess((value) => value === true || value === "on" || value === "true", z.boolean());
const list = (value: unknown): unknown =>
  typeof value === "string" ? value.split(/[\n,]/).map((item) => item.trim()).filter(Boolean) : value === undefined ? [] : value;

export const ZApplicationInputSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(100, "Keep the name under 100 characters"),
  kind: z.enum(["radius", "auth_api", "admin_api"], "Choose RADIUS, Auth API or Admin API"),
  primaryAuthMode: z.enum(["radius", "ldap", "local", "none"], "Choose how the password is checked"),
  factorEntry: z.enum(["append", "challenge", "both"], "Choose how users enter the second factor"),
  appendDelimiter: z
    .string()
    .min(1, "Enter the delimiter users type between password and code, e.g. a comma")
    .max(3, "Use at most 3 characters")
    .refine((value) => !/\s/.test(value), "The delimiter cannot contain spaces"),
  passThroughAll: checkbox,
  passThroughAttrs: z.preprocess(list, z.array(z.string().regex(/^[A-Za-z0-9-]+(:[A-Za-z0-9-]+)?$/, "Attribute names look like Class or Cisco-AVPair")).max(50)),
  permittedGroupIds: z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(z.uuid())),
});

export type TApplicationInput = z.infer<typeof ZApplicationInputSchema>;
