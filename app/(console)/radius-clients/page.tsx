import Link from "next/link";
import { prisma } from "@/lib/db";
import { roleHasPermission } from "@/lib/auth/permissions";
import { listRadiusClients } from "@/lib/radius-clients/list-radius-clients";
import { findAddressOverlaps } from "@/lib/radius-clients/find-address-overlaps";
import { AddressOverlaps } from "@/components/radius-clients/address-overlaps";
import { requirePageSession } from "../../_server/session";
import { pageTitle } from "@/app/_server/page-title";

const SAVED: Record<string, string> = { created: "RADIUS client created.", updated: "RADIUS client saved.", deleted: "RADIUS client deleted." };

export const metadata = pageTitle("RADIUS clients");

export default async function RadiusClientsPage({ searchParams }: { searchParams: Promise<{ saved?: string }> }) {
  const session = await requirePageSession("radius_clients:read");
  const { saved } = await searchParams;
  const clients = await listRadiusClients({ prisma });
  const canWrite = roleHasPermission(session.role, "radius_clients:write");
  return (
    <>
      <div className="page-head">
        <div>
          <h1>RADIUS clients</h1>
          <p className="muted">Devices (VPN concentrators, firewalls) allowed to send RADIUS requests to the workers.</p>
        </div>
        {canWrite && (
          <Link className="button primary" href="/radius-clients/new">
            Add RADIUS client
          </Link>
        )}
      </div>
      {saved && SAVED[saved] && (
        <div className="banner ok" role="status">
          {SAVED[saved]}
        </div>
      )}
      <AddressOverlaps overlaps={findAddressOverlaps({ clients })} />
      <div className="table-wrap">
        <table data-testid="radius-clients">
          <thead>
            <tr>
              <th>Name</th>
              <th>Address</th>
              <th>Application</th>
              <th>Message-Authenticator</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {clients.length === 0 && (
              <tr>
                <td colSpan={5} className="empty">
                  No RADIUS clients yet. Unknown addresses get no answer from the workers.
                </td>
              </tr>
            )}
            {clients.map((client) => (
              <tr key={client.id}>
                <td>{canWrite ? <Link href={`/radius-clients/${client.id}`}>{client.name}</Link> : client.name}</td>
                <td className="mono">{client.address}</td>
                <td>{client.application?.name ?? <span className="muted">none</span>}</td>
                <td>{client.requireMessageAuthenticator ? <span className="badge ok">required</span> : <span className="badge warn">optional</span>}</td>
                <td className="muted">{client.updatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
