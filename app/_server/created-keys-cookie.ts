import { cookies } from "next/headers";
import { z } from "zod";
import { decryptSecret, encryptSecret } from "@/lib/secrets/envelope";
import { isHttps } from "./session";

const COOKIE = "twofold_created_keys";
const ZCreatedKeysSchema = z.object({ id: z.uuid(), ikey: z.string().min(1), skey: z.string().min(1) });

// Carries a new application's keys from the create action to its page, once: encrypted with the installation key
// (the browser cannot read it, a copied cookie is useless elsewhere), httpOnly, five minutes, only for that page.
export const stashCreatedKeys = async (keys: z.infer<typeof ZCreatedKeysSchema>): Promise<void> => {
  (await cookies()).set(COOKIE, encryptSecret(JSON.stringify(keys)), {
    httpOnly: true, sameSite: "strict", secure: await isHttps(), path: `/applications/${keys.id}`, maxAge: 300,
  });
};

// Deleted as it is read: a reload, a back button or a second tab finds nothing.
export const claimCreatedKeys = async ({ id }: { id: string }): Promise<{ ikey: string; skey: string } | undefined> => {
  const store = await cookies();
  const raw = store.get(COOKIE)?.value;
  if (!raw) return undefined;
  store.delete({ name: COOKIE, path: `/applications/${id}` });
  try {
    const parsed = ZCreatedKeysSchema.safeParse(JSON.parse(decryptSecret(raw)));
    return parsed.success && parsed.data.id === id ? { ikey: parsed.data.ikey, skey: parsed.data.skey } : undefined;
  } catch {
    return undefined; // tampered or from another installation key
  }
};
