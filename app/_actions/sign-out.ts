"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { prisma } from "@/lib/db";
import { deleteAdminSession } from "@/lib/auth/delete-admin-session";
import { SESSION_COOKIE } from "@/lib/auth/session-policy";

export async function signOutAction(): Promise<void> {
  const store = await cookies();
  await deleteAdminSession({ prisma, token: store.get(SESSION_COOKIE)?.value });
  store.delete(SESSION_COOKIE);
  redirect("/sign-in");
}
