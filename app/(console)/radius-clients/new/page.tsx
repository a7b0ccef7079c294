import Link from "next/link";
import { prisma } from "@/lib/db";
import { RadiusClientForm } from "@/components/radius-clients/radius-client-form";
import { requirePageSession } from "../../../_server/session";
import { createRadiusClientAction } from "../actions";
import { pageTitle } from "@/app/_server/page-title";

export const metadata = pageTitle("Add RADIUS client");

export default async function NewRadiusClientPage() {
  await requirePageSession("radius_clients:write");
  const applications = await prisma.application.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
  return (
    <>
      <p>
        <Link href="/radius-clients">← RADIUS clients</Link>
      </p>
      <h1>Add RADIUS client</h1>
      <div className="card">
        <RadiusClientForm action={createRadiusClientAction} mode="create" applications={applications} />
      </div>
    </>
  );
}
