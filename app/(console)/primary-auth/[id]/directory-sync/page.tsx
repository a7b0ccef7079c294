import Link from "next/link";
import { notFound } from "next/navigation";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { listDirectoryGroups, type TDirectoryGroupChoice } from "@/lib/directory-sync/list-directory-groups";
import { DEFAULT_GROUP_FILTER, DEFAULT_USER_FILTER } from "@/lib/directory-sync/sync-settings-schema";
import { DirectorySyncPanel } from "@/components/primary-auth/directory-sync-panel";
import { DirectorySyncSettingsForm } from "@/components/primary-auth/directory-sync-settings-form";
import { formatTime } from "@/components/shell/data-table";
import { pageTitle } from "@/app/_server/page-title";
import { requirePageSession } from "../../../../_server/session";
import { applyDirectorySyncAction, previewDirectorySyncAction, saveDirectorySyncSettingsAction } from "./actions";

export const metadata = pageTitle("Directory sync", "Primary auth");

export default async function DirectorySyncPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageSession("primary_auth:write");
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const server = await prisma.primaryAuthServer.findUnique({ where: { id }, include: { directorySync: true } });
  if (!server || server.kind !== "ldap") notFound();
  const settings = server.directorySync;
  let groups: TDirectoryGroupChoice[] = [];
  let groupsError: string | undefined;
  try {
    groups = await listDirectoryGroups({ prisma, serverId: id });
  } catch (error) {
    groupsError = error instanceof AppError ? error.message : "The directory's groups could not be listed";
  }
  // Chosen groups the directory no longer lists stay choosable, so saving never drops them unseen.
  const chosen = settings?.groupDns ?? [];
  const options = [
    ...groups.map((group) => ({ dn: group.dn, label: `${group.name} (${group.members} member${group.members === 1 ? "" : "s"})${group.problem ? ` — ${group.problem}` : ""}` })),
    ...chosen.filter((dn) => !groups.some((group) => group.dn.toLowerCase() === dn.toLowerCase())).map((dn) => ({ dn, label: `${dn} (not found in the directory)` })),
  ];
  const summary = settings?.lastSummary && typeof settings.lastSummary === "object" && !Array.isArray(settings.lastSummary) ? settings.lastSummary : undefined;
  return (
    <>
      <p><Link href={`/primary-auth/${id}`}>← {server.name}</Link></p>
      <h1>Directory sync: {server.name}</h1>
      <p className="muted">
        Imports users (name by the server&apos;s username attribute, as logins resolve it; display name; email) and the groups you choose. Users who leave the
        directory are disabled, never deleted. Every change is previewed first and audited.
      </p>
      <div className="grid-2">
        <div className="card">
          <h2 style={{ marginTop: 0 }}>Settings</h2>
          {groupsError && <div className="banner warn" role="status">{groupsError}</div>}
          <DirectorySyncSettingsForm
            action={saveDirectorySyncSettingsAction.bind(null, id)}
            baseDn={server.baseDn ?? ""}
            groups={options}
            defaults={{
              userBaseDn: settings?.userBaseDn ?? "", userFilter: settings?.userFilter ?? DEFAULT_USER_FILTER, groupBaseDn: settings?.groupBaseDn ?? "",
              groupFilter: settings?.groupFilter ?? DEFAULT_GROUP_FILTER, displayNameAttribute: settings?.displayNameAttribute ?? "displayName",
              emailAttribute: settings?.emailAttribute ?? "mail", intervalMinutes: settings?.intervalMinutes ? String(settings.intervalMinutes) : "", groupDns: chosen,
            }}
          />
        </div>
        <div>
          <div className="card">
            <h2 style={{ marginTop: 0 }}>Sync now</h2>
            {settings ? (
              <DirectorySyncPanel preview={previewDirectorySyncAction.bind(null, id)} apply={applyDirectorySyncAction.bind(null, id)} />
            ) : (
              <p className="muted">Save the settings first.</p>
            )}
          </div>
          <div className="card" data-testid="sync-last-run">
            <h2 style={{ marginTop: 0 }}>Last run</h2>
            {settings?.lastRunAt ? (
              <>
                <p>
                  {formatTime(settings.lastRunAt)} · <span className={`badge ${settings.lastStatus === "applied" ? "ok" : "warn"}`}>{settings.lastStatus ?? "claimed"}</span>
                  {settings.intervalMinutes ? ` · every ${settings.intervalMinutes} min` : " · manual only"}
                </p>
                {summary && <pre className="mono" style={{ whiteSpace: "pre-wrap" }}>{JSON.stringify(summary, null, 1).slice(0, 4000)}</pre>}
              </>
            ) : (
              <p className="muted">Never synced.</p>
            )}
          </div>
        </div>
      </div>
    </>
  );
}
