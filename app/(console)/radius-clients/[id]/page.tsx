import Link from "next/link";
import { notFound } from "next/navigation";
import { prisma } from "@/lib/db";
import { getRadiusClient } from "@/lib/radius-clients/list-radius-clients";
import { findAddressOverlaps, overlapsOfClient } from "@/lib/radius-clients/find-address-overlaps";
import { AddressOverlaps } from "@/components/radius-clients/address-overlaps";
import { ActionForm } from "@/components/forms/action-form";
import { RadiusClientForm } from "@/components/radius-clients/radius-client-form";
import { ClientDropsPanel } from "@/components/dashboard/client-drops-panel";
import { listClientDrops } from "@/lib/workers/list-client-drops";
import { requirePageSession } from "../../../_server/session";
import { deleteRadiusClientAction, updateRadiusClientAction } from "../actions";
import { recordTitle } from "@/app/_server/page-title";

export const generateMetadata = async ({ params }: { params: Promise<{ id: string }> }) =>
  recordTitle({ permission: "radius_clients:read", section: "RADIUS clients", id: (await params).id, load: async (id) => (await prisma.radiusClient.findUnique({ where: { id }, select: { name: true } }))?.name });

export default async function EditRadiusClientPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageSession("radius_clients:write");
  const { id } = await params;
  const client = /^[0-9a-f-]{36}$/i.test(id) ? await getRadiusClient({ prisma, id }) : null;
  if (!client) notFound();
  const [applications, workers, allClients] = await Promise.all([
    prisma.application.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
    listClientDrops({ prisma, clientId: client.id }),
    prisma.radiusClient.findMany({ select: { id: true, name: true, address: true } }),
  ]);
  return (
    <>
      <p>
        <Link href="/radius-clients">← RADIUS clients</Link>
      </p>
      <h1>{client.name}</h1>
      <AddressOverlaps overlaps={overlapsOfClient(findAddressOverlaps({ clients: allClients }), client.id)} />
      <div className="card">
        <RadiusClientForm
          action={updateRadiusClientAction.bind(null, client.id)}
          mode="edit"
          applications={applications}
          defaults={{
            name: client.name,
            address: client.address,
            requireMessageAuthenticator: client.requireMessageAuthenticator,
            applicationId: client.applicationId ?? "",
            coaPort: client.coaPort,
          }}
        />
      </div>
      <ClientDropsPanel workers={workers} />
      <div className="card">
        <h2 style={{ marginTop: 0 }}>Delete</h2>
        <p className="muted">The device&apos;s requests will be dropped as soon as the workers pick up the change.</p>
        <ActionForm
          action={deleteRadiusClientAction.bind(null, client.id)}
          submitLabel="Delete RADIUS client"
          pendingLabel="Deleting…"
          danger
          confirm={`Delete the RADIUS client "${client.name}"? Its requests will be dropped.`}
          className="actions"
        />
      </div>
    </>
  );
}
