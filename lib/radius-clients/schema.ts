import { z } from "zod";
import { parseCidr } from "../net/cidr";

const checkbox = z.preprocess((value) => (value === undefined ? undefined : value === true || value === "on" || value === "true"), z.boolean().default(true));

const address = z
  .string()
  .trim()
  .min(1, "Address is required")
  .transform((value, context) => {
    const parsed = parseCidr(value);
    if ("error" in parsed) {
      context.addIssue({ code: "custom", message: parsed.error });
      return z.NEVER;
    }
    return parsed.text;
  });

const optionalId = z.preprocess((value) => (value === "" || value === null ? undefined : value), z.uuid("Choose an application").optional());

const base = {
  name: z.string().trim().min(1, "Name is required").max(100, "Keep the name under 100 characters"),
  address,
  requireMessageAuthenticator: checkbox,
  applicationId: optionalId,
  // Where the device takes CoA/Disconnect (RFC 5176) relayed from ISE: the ASA's `dynamic-authorization port`.
  coaPort: z.preprocess((value) => (value === "" || value === null ? undefined : value), z.coerce.number().int("Use a whole number").min(1, "Use a port from 1 to 65535").max(65535, "Use a port from 1 to 65535").default(1700)),
};

export const ZRadiusClientCreateSchema = z.object({
  ...base,
  secret: z.string().min(8, "The shared secret must be at least 8 characters").max(128, "Keep the shared secret under 128 characters"),
});

// On edit an empty secret means "keep the current one": the old secret is never sent back to the browser.
export const ZRadiusClientUpdateSchema = z.object({
  ...base,
  secret: z.preprocess(
    (value) => (value === "" || value === null ? undefined : value),
    z.string().min(8, "The shared secret must be at least 8 characters").max(128, "Keep the shared secret under 128 characters").optional(),
  ),
});

export type TRadiusClientCreate = z.infer<typeof ZRadiusClientCreateSchema>;
export type TRadiusClientUpdate = z.infer<typeof ZRadiusClientUpdateSchema>;
