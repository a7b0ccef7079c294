import Link from "next/link";
import { prisma } from "@/lib/db";
import { UserForm } from "@/components/users/user-form";
import { requirePageSession } from "../../../_server/session";
import { createUserAction } from "../actions";
import { pageTitle } from "@/app/_server/page-title";

export const metadata = pageTitle("Add user");

export default async function NewUserPage() {
  await requirePageSession("users:write");
  const groups = await prisma.group.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
  return (
    <>
      <p><Link href="/users">← Users</Link></p>
      <h1>Add user</h1>
      <div className="card"><UserForm action={createUserAction} mode="create" groups={groups} /></div>
    </>
  );
}
