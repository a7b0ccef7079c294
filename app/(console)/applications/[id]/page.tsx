import Link from "next/link";
import { notFound } from "next/navigation";
import { prisma } from "@/lib/db";
import { roleHasPermission } from "@/lib/auth/permissions";
import { buildAsaSnippet } from "@/lib/applications/build-asa-snippet";
import { listAsaTargets } from "@/lib/applications/list-asa-targets";
import { buildDuoClientConfigs } from "@/lib/applications/build-duo-client-configs";
import { listApiEndpoints } from "@/lib/applications/list-api-endpoints";
import { readApiCaCertificate } from "@/lib/duo-api/load-api-ca";
import { getEffectiveGlobalPolicy } from "@/lib/policy/get-policies";
import { ActionForm } from "@/components/forms/action-form";
import { AsaSnippetCard } from "@/components/applications/asa-snippet-card";
import { ApplicationForm } from "@/components/applications/application-form";
import { ApiEndpointCard } from "@/components/applications/api-endpoint-card";
import { RotateSkeyForm } from "@/components/applications/rotate-skey-form";
import { CreatedKeys } from "@/components/applications/created-keys";
import { findIgnoredSettings } from "@/lib/applications/find-ignored-settings";
import { PolicyForm } from "@/components/policies/policy-form";
import { EMPTY_OVERRIDE, effectiveAsDefaults } from "@/components/policies/policy-defaults";
import { requirePageSession } from "../../../_server/session";
import { claimCreatedKeysAction, deleteApplicationAction, deleteOverrideAction, rotateSkeyAction, saveOverrideAction, updateApplicationAction } from "../actions";
import { recordTitle } from "@/app/_server/page-title";

export const generateMetadata = async ({ params }: { params: Promise<{ id: string }> }) =>
  recordTitle({ permission: "applications:read", section: "Applications", id: (await params).id, load: async (id) => (await prisma.application.findUnique({ where: { id }, select: { name: true } }))?.name });

export default async function ApplicationPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ override?: string; created?: string; asa?: string }> }) {
  const session = await requirePageSession("applications:read");
  const { id } = await params;
  const { override: overrideState, created, asa } = await searchParams;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const application = await prisma.application.findUnique({
    where: { id },
    include: { permittedGroups: { select: { groupId: true } }, policy: true, primaryAuthServers: { orderBy: { position: "asc" } }, radiusClients: { select: { id: true, name: true, address: true, coaPort: true } } },
  });
  if (!application) notFound();
  const [groups, effective, asaTargets] = await Promise.all([
    prisma.group.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
    getEffectiveGlobalPolicy({ prisma }),
    listAsaTargets({ prisma, configured: process.env.TWOFOLD_WORKER_ADDRESSES }),
  ]);
  const canWrite = roleHasPermission(session.role, "applications:write");
  const canPolicy = roleHasPermission(session.role, "policy:write");
  const apiKind = application.kind === "radius" ? undefined : application.kind;
  const [apiEndpoints, apiCa] = apiKind ? await Promise.all([listApiEndpoints({ prisma, configured: process.env.TWOFOLD_WORKER_ADDRESSES }), readApiCaCertificate({ prisma })]) : [[], undefined];
  const firstEndpoint = apiEndpoints[0] ?? { host: "twofold.example.com", port: 8443 };
  const relaysRadius = application.primaryAuthMode === "radius";
  const upstreams = application.primaryAuthServers.filter((server) => server.kind === "radius").map((server) => ({ host: server.host, port: server.port }));
  const split = relaysRadius && asa === "split";
  const coaPorts = [...new Set(application.radiusClients.map((client) => client.coaPort))];
  const asaNotes = [...asaTargets.notes, ...(coaPorts.length > 1 ? [`This application's RADIUS clients take CoA on different ports (${coaPorts.join(", ")}): ${coaPorts[0]} shown.`] : [])];
  const snippet = buildAsaSnippet({ applicationName: application.name, hosts: asaTargets.hosts, relaysMschapv2: relaysRadius, coaPort: coaPorts[0], ...(split ? { splitAuthorization: { servers: upstreams } } : {}) });
  return (
    <>
      <p>
        <Link href="/applications">← Applications</Link>
      </p>
      <h1>{application.name}</h1>
      <p className="muted">
        Integration key <code data-testid="app-ikey">{application.ikey}</code> · secret key hidden (it was shown once; rotate to get a new one)
      </p>
      {created && canWrite && <CreatedKeys claim={claimCreatedKeysAction.bind(null, application.id)} />}
      <div className="grid-2">
        <div className="card">
          <h2 style={{ marginTop: 0 }}>Settings</h2>
          {canWrite ? (
            <ApplicationForm
              action={updateApplicationAction.bind(null, application.id)}
              mode="edit"
              groups={groups}
              defaults={{ ...application, permittedGroupIds: application.permittedGroups.map((group) => group.groupId) }}
              ignored={findIgnoredSettings({ application })}
            />
          ) : (
            <pre>{JSON.stringify({ kind: application.kind, primaryAuthMode: application.primaryAuthMode, factorEntry: application.factorEntry }, null, 2)}</pre>
          )}
        </div>
        <div>
          {apiKind && (
            <ApiEndpointCard kind={apiKind} endpoints={apiEndpoints} caAvailable={Boolean(apiCa)} configs={buildDuoClientConfigs({ kind: apiKind, ikey: application.ikey, host: firstEndpoint.host, port: firstEndpoint.port })} />
          )}
          <AsaSnippetCard snippet={snippet} notes={asaNotes} split={split} canSplit={relaysRadius} applicationId={application.id} />
          <div className="card">
            <h2 style={{ marginTop: 0 }}>Primary auth servers</h2>
            {application.primaryAuthServers.length === 0 ? (
              <p className="muted">None for this application. <Link href="/primary-auth">Add one under Primary auth</Link>.</p>
            ) : (
              <ul>
                {application.primaryAuthServers.map((server) => (
                  <li key={server.id}>
                    {server.position + 1}. {server.name} ({server.kind}, <code>{`${server.host}:${server.port}`}</code>)
                  </li>
                ))}
              </ul>
            )}
            <h2>RADIUS clients</h2>
            {application.radiusClients.length === 0 ? (
              <p className="muted">No RADIUS client points at this application yet.</p>
            ) : (
              <ul>
                {application.radiusClients.map((client) => (
                  <li key={client.id}>
                    {client.name} <code>{client.address}</code>
                  </li>
                ))}
              </ul>
            )}
          </div>
          {canWrite && (
            <div className="card">
              <h2 style={{ marginTop: 0 }}>Secret key</h2>
              <RotateSkeyForm action={rotateSkeyAction.bind(null, application.id)} />
            </div>
          )}
        </div>
      </div>
      <div className="card">
        <h2 style={{ marginTop: 0 }}>Policy override</h2>
        {overrideState === "cleared" && <div className="banner ok">Override removed: this application follows the global policy.</div>}
        <p className="muted">Every field can inherit the global policy (<Link href="/policies">Policies</Link>); only what you set here differs.</p>
        {canPolicy ? (
          <>
            <PolicyForm
              action={saveOverrideAction.bind(null, application.id)}
              mode="override"
              defaults={application.policy ?? EMPTY_OVERRIDE}
              effective={effectiveAsDefaults(effective)}
              submitLabel="Save override"
            />
            {application.policy && (
              <div style={{ marginTop: 16 }}>
                <ActionForm action={deleteOverrideAction.bind(null, application.id)} submitLabel="Inherit everything (remove override)" danger confirm="Remove this application's policy override?" className="actions" />
              </div>
            )}
          </>
        ) : (
          <pre>{JSON.stringify(application.policy ?? "inherits the global policy", null, 2)}</pre>
        )}
      </div>
      {canWrite && (
        <div className="card">
          <h2 style={{ marginTop: 0 }}>Delete application</h2>
          <ActionForm
            action={deleteApplicationAction.bind(null, application.id)}
            submitLabel="Delete application"
            danger
            confirm={`Delete "${application.name}"? Its RADIUS clients stay but lose their application.`}
            className="actions"
          />
        </div>
      )}
    </>
  );
}
