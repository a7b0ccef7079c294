import Link from "next/link";
import { prisma } from "@/lib/db";
import { EMPTY_PRIMARY_AUTH, PrimaryAuthServerForm } from "@/components/primary-auth/primary-auth-forms";
import { requirePageSession } from "../../../_server/session";
import { createPrimaryAuthServerAction } from "../actions";
import { pageTitle } from "@/app/_server/page-title";

export const metadata = pageTitle("Add primary auth server");

export default async function NewPrimaryAuthServerPage() {
  await requirePageSession("primary_auth:write");
  const applications = await prisma.application.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
  return (
    <>
      <p><Link href="/primary-auth">← Primary auth</Link></p>
      <h1>Add primary auth server</h1>
      <div className="card"><PrimaryAuthServerForm action={createPrimaryAuthServerAction} mode="create" defaults={EMPTY_PRIMARY_AUTH} applications={applications} /></div>
    </>
  );
}
