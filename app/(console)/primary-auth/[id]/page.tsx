import Link from "next/link";
import { notFound } from "next/navigation";
import { prisma } from "@/lib/db";
import { findIgnoringApplications } from "@/lib/primary-auth/find-ignoring-applications";
import { ActionForm } from "@/components/forms/action-form";
import { PrimaryAuthServerForm, TestServerForm } from "@/components/primary-auth/primary-auth-forms";
import { requirePageSession } from "../../../_server/session";
import { deletePrimaryAuthServerAction, testPrimaryAuthServerAction, updatePrimaryAuthServerAction } from "../actions";
import { recordTitle } from "@/app/_server/page-title";

export const generateMetadata = async ({ params }: { params: Promise<{ id: string }> }) =>
  recordTitle({ permission: "primary_auth:read", section: "Primary auth", id: (await params).id, load: async (id) => (await prisma.primaryAuthServer.findUnique({ where: { id }, select: { name: true } }))?.name });

export default async function PrimaryAuthServerPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageSession("primary_auth:write");
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const server = await prisma.primaryAuthServer.findUnique({ where: { id } });
  if (!server) notFound();
  const [applications, ignoredBy] = await Promise.all([
    prisma.application.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
    findIgnoringApplications({ prisma, serverIds: [server.id] }),
  ]);
  const text = (value: string | number | null) => (value === null ? "" : String(value));
  return (
    <>
      <p><Link href="/primary-auth">← Primary auth</Link></p>
      <h1>{server.name}</h1>
      {ignoredBy.length > 0 && (
        <div className="banner warn" role="status" data-testid="server-ignored-by">
          <strong>Attached where it will not check passwords:</strong>
          <ul style={{ margin: "4px 0 0", paddingLeft: 20 }}>
            {ignoredBy.map((row) => (
              <li key={row.applicationId}><Link href={`/applications/${row.applicationId}`}>{row.applicationName}</Link>: {row.warning}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="grid-2">
        <div className="card">
          <PrimaryAuthServerForm
            action={updatePrimaryAuthServerAction.bind(null, server.id)}
            mode="edit"
            applications={applications}
            defaults={{
              name: server.name, kind: server.kind, applicationId: text(server.applicationId), host: server.host, port: text(server.port), accountingPort: text(server.accountingPort),
              bindDn: text(server.bindDn), baseDn: text(server.baseDn), userFilter: text(server.userFilter), groupAttribute: text(server.groupAttribute), usernameAttribute: text(server.usernameAttribute), tlsMode: server.tlsMode,
              timeoutMs: text(server.timeoutMs), retries: text(server.retries), position: text(server.position),
            }}
          />
        </div>
        <div>
          <div className="card">
            <h2 style={{ marginTop: 0 }}>Test</h2>
            <p className="muted">{server.kind === "radius" ? "Sends one Access-Request for the user you type and reports exactly what came back." : "Binds, searches for the user you type, binds as them and reports the exact result."}</p>
            <TestServerForm action={testPrimaryAuthServerAction.bind(null, server.id)} />
          </div>
          {server.kind === "ldap" && (
            <div className="card">
              <h2 style={{ marginTop: 0 }}>Directory sync</h2>
              <p className="muted">Import this directory&apos;s users and chosen groups, on a schedule or now, with a preview first.</p>
              <Link className="button" href={`/primary-auth/${server.id}/directory-sync`}>Directory sync</Link>
            </div>
          )}
          <div className="card">
            <h2 style={{ marginTop: 0 }}>Delete</h2>
            <ActionForm action={deletePrimaryAuthServerAction.bind(null, server.id)} submitLabel="Delete server" danger confirm={`Delete ${server.name}?`} className="actions" />
          </div>
        </div>
      </div>
    </>
  );
}
