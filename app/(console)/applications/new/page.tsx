import Link from "next/link";
import { prisma } from "@/lib/db";
import { ApplicationForm } from "@/components/applications/application-form";
import { requirePageSession } from "../../../_server/session";
import { createApplicationAction } from "../actions";
import { pageTitle } from "@/app/_server/page-title";

export const metadata = pageTitle("Add application");

export default async function NewApplicationPage() {
  await requirePageSession("applications:write");
  const groups = await prisma.group.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
  return (
    <>
      <p>
        <Link href="/applications">← Applications</Link>
      </p>
      <h1>Add application</h1>
      <div className="card">
        <ApplicationForm action={createApplicationAction} mode="create" groups={groups} />
      </div>
    </>
  );
}
