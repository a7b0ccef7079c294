import type { Metadata } from "next";
import { roleHasPermission, type TPermission } from "@/lib/auth/permissions";
import { getSession } from "./session";

// Every page names itself first, then "Twofold", so browser tabs and history tell pages apart.
export const pageTitle = (...parts: string[]): Metadata => ({ title: [...parts, "Twofold"].join(" · ") });

// A record's name goes into the title only for an admin who may read it; anyone else gets the section's name
// (the page itself then redirects or refuses).
export const recordTitle = async (options: { permission: TPermission; section: string; id: string; load: (id: string) => Promise<string | undefined> }): Promise<Metadata> => {
  const session = await getSession();
  if (!session || !roleHasPermission(session.role, options.permission) || !/^[0-9a-f-]{36}$/i.test(options.id)) return pageTitle(options.section);
  const name = await options.load(options.id);
  return name ? pageTitle(name, options.section) : pageTitle(options.section);
};
