import Link from "next/link";
import { notFound } from "next/navigation";
import { prisma } from "@/lib/db";
import { roleHasPermission } from "@/lib/auth/permissions";
import { decodeCursor, queryAuthEvents } from "@/lib/auth-log/query-auth-events";
import { toAuthEventView } from "@/lib/auth-log/auth-event-view";
import { ActionForm } from "@/components/forms/action-form";
import { AuthEventTable } from "@/components/auth-log/auth-event-table";
import { formatTime } from "@/components/shell/data-table";
import { StatusBadge } from "@/components/users/status-badge";
import { UserForm } from "@/components/users/user-form";
import { BypassCodeForm, EnrollmentLinkForm } from "@/components/users/once-forms";
import { sendEnrollmentEmailAction } from "../enrollment-mail-actions";
import { LocalPasswordForm } from "@/components/users/local-password-form";
import { requirePageSession } from "../../../_server/session";
import { listLiveSessions } from "@/lib/coa/list-live-sessions";
import { LiveSessions } from "@/components/users/live-sessions";
import { deleteUserAction, disconnectSessionAction, issueBypassCodeAction, issueEnrollmentLinkAction, removeAuthenticatorAction, setUserPasswordAction, unlockUserAction, updateUserAction } from "../actions";
import { recordTitle } from "@/app/_server/page-title";
import { findDeletedUser } from "@/lib/users/find-deleted-user";

export const generateMetadata = async ({ params }: { params: Promise<{ id: string }> }) =>
  recordTitle({ permission: "users:read", section: "Users", id: (await params).id, load: async (id) => (await prisma.user.findUnique({ where: { id }, select: { username: true } }))?.username });

export default async function UserPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ before?: string }> }) {
  const session = await requirePageSession("users:read");
  const { id } = await params;
  const { before } = await searchParams;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const user = await prisma.user.findUnique({
    where: { id },
    include: { groups: { include: { group: { select: { id: true, name: true } } } }, authenticators: { orderBy: { createdAt: "asc" } } },
  });
  if (!user) {
    // The auth log links events to the user they were decided for, also after the user was deleted.
    const deleted = await findDeletedUser({ prisma, id });
    if (!deleted) notFound();
    return (
      <>
        <p><Link href="/users">← Users</Link></p>
        <h1>{deleted.username}</h1>
        <p className="muted" data-testid="user-deleted">
          This user was deleted {formatTime(deleted.deletedAt)} by {deleted.deletedBy ?? "an administrator"}. Their events stay in the{" "}
          <Link href={`/auth-log?account=${encodeURIComponent(deleted.username)}`}>auth log</Link>.
        </p>
      </>
    );
  }
  const can = (permission: Parameters<typeof roleHasPermission>[1]) => roleHasPermission(session.role, permission);
  const [groups, log, bypassCount, liveSessions, hasLocalPassword] = await Promise.all([
    prisma.group.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
    can("authlog:read") ? queryAuthEvents({ prisma, filter: { account: user.username }, before: decodeCursor(before), take: 25 }) : undefined,
    prisma.bypassCode.count({ where: { userId: user.id, remainingUses: { gt: 0 }, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] } }),
    listLiveSessions({ prisma, username: user.username }),
    // Whether a hash exists, without loading it into the page.
    prisma.user.count({ where: { id: user.id, passwordHash: { not: null } } }).then((count) => count > 0),
  ]);
  return (
    <>
      <p><Link href="/users">← Users</Link></p>
      <div className="page-head">
        <div>
          <h1>{user.username}</h1>
          <p className="muted">{user.displayName || user.email || "No display name"} · last seen {formatTime(user.lastSeenAt)}</p>
        </div>
      </div>
      <div className="grid-2">
        <div className="card">
          <h2 style={{ marginTop: 0 }}>Status</h2>
          <p>
            <StatusBadge status={user.status} /> · {user.failedAttempts} failed attempt(s) in a row
            {user.lockedAt && <> · locked {formatTime(user.lockedAt)}</>}
          </p>
          {can("users:unlock") && (user.status === "locked_out" || user.failedAttempts > 0) && (
            <ActionForm action={unlockUserAction.bind(null, user.id)} submitLabel="Unlock user" pendingLabel="Unlocking…" className="actions" />
          )}
          <h2>Groups</h2>
          <p>{user.groups.map((member) => member.group.name).join(", ") || <span className="muted">No groups.</span>}</p>
          <h2>Authenticators</h2>
          {user.authenticators.length === 0 && <p className="muted">None enrolled{bypassCount ? `; ${bypassCount} usable bypass code(s)` : ""}.</p>}
          <ul data-testid="authenticators">
            {user.authenticators.map((authenticator) => (
              <li key={authenticator.id} style={{ marginBottom: 8 }}>
                <strong>{authenticator.name || authenticator.kind}</strong> <span className="badge">{authenticator.kind}</span>{" "}
                {authenticator.active ? <span className="badge ok">active</span> : <span className="badge warn">pending</span>}
                <div className="muted">added {formatTime(authenticator.createdAt)} · last used {formatTime(authenticator.lastUsedAt)}</div>
                {can("users:write") && (
                  <ActionForm
                    action={removeAuthenticatorAction.bind(null, user.id, authenticator.id)}
                    submitLabel="Remove"
                    danger
                    confirm={`Remove ${authenticator.name || authenticator.kind} from ${user.username}?`}
                    className="actions"
                  />
                )}
              </li>
            ))}
          </ul>
          {bypassCount > 0 && user.authenticators.length > 0 && <p className="muted">{bypassCount} usable bypass code(s).</p>}
        </div>
        <div>
          {can("users:bypass") && (
            <div className="card">
              <h2 style={{ marginTop: 0 }}>Bypass code</h2>
              <BypassCodeForm action={issueBypassCodeAction.bind(null, user.id)} />
            </div>
          )}
          {can("users:enroll") && (
            <div className="card">
              <h2 style={{ marginTop: 0 }}>Enrollment link</h2>
              <p className="muted">A one-time link where the user adds an authenticator app.</p>
              <EnrollmentLinkForm action={issueEnrollmentLinkAction.bind(null, user.id)} />
              {user.email ? (
                <ActionForm action={sendEnrollmentEmailAction.bind(null, user.id)} submitLabel="Send enrollment email" pendingLabel="Sending…" className="actions" testId="send-enrollment-email">
                  <p className="hint">A new link by email to {user.email} (valid 3 days).</p>
                </ActionForm>
              ) : (
                <p className="hint">No email address: add one to send the link by email.</p>
              )}
            </div>
          )}
        </div>
      </div>
      <h2>Live sessions</h2>
      <LiveSessions
        username={user.username}
        sessions={liveSessions}
        disconnect={can("users:disconnect") ? (sessionId) => disconnectSessionAction.bind(null, user.id, sessionId) : undefined}
      />
      {log && (
        <>
          <h2>Authentication log</h2>
          <AuthEventTable testId="user-log" events={log.rows.map(toAuthEventView)} empty="No authentications for this user yet." />
          {log.nextCursor && <p><Link href={`/users/${user.id}?before=${encodeURIComponent(log.nextCursor)}`}>Older →</Link></p>}
        </>
      )}
      {can("users:write") && (
        <div className="grid-2" style={{ marginTop: 16 }}>
          <div className="card">
            <h2 style={{ marginTop: 0 }}>Edit</h2>
            <UserForm
              action={updateUserAction.bind(null, user.id)}
              mode="edit"
              groups={groups}
              defaults={{ username: user.username, displayName: user.displayName, email: user.email ?? "", status: user.status, groupIds: user.groups.map((member) => member.group.id) }}
            />
          </div>
          <div className="card">
            <h2 style={{ marginTop: 0 }}>Local password</h2>
            <LocalPasswordForm action={setUserPasswordAction.bind(null, user.id)} current={hasLocalPassword ? "set" : user.passwordChoiceRequired ? "choose_at_enrollment" : "none"} />
          </div>
          <div className="card">
            <h2 style={{ marginTop: 0 }}>Delete user</h2>
            <p className="muted">Removes the user, their authenticators and bypass codes. Their log entries stay.</p>
            <ActionForm action={deleteUserAction.bind(null, user.id)} submitLabel="Delete user" danger confirm={`Delete ${user.username}?`} className="actions" />
          </div>
        </div>
      )}
    </>
  );
}
