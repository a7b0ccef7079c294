import { prisma } from "@/lib/db";
import { requirePageSession } from "../../_server/session";

export default async function PoliciesPage() {
  await requirePageSession("policy:read");
  const global = await prisma.policy.findFirst({ where: { applicationId: null } });
  return (
    <>
      <h1>Policies</h1>
      <div className="card">
        {global ? <pre>{JSON.stringify(global, null, 2)}</pre> : <p className="muted">No global policy row yet: the built-in defaults apply.</p>}
      </div>
    </>
  );
}
