import Link from "next/link";
import { notFound } from "next/navigation";
import { prisma } from "@/lib/db";
import { roleHasPermission } from "@/lib/auth/permissions";
import { ActionForm } from "@/components/forms/action-form";
import { AddMemberForm, GroupForm } from "@/components/groups/group-forms";
import { requirePageSession } from "../../../_server/session";
import { addMemberAction, deleteGroupAction, removeMemberAction, updateGroupAction } from "../actions";
import { recordTitle } from "@/app/_server/page-title";

export const generateMetadata = async ({ params }: { params: Promise<{ id: string }> }) =>
  recordTitle({ permission: "groups:read", section: "Groups", id: (await params).id, load: async (id) => (await prisma.group.findUnique({ where: { id }, select: { name: true } }))?.name });

export default async function GroupPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requirePageSession("groups:read");
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const group = await prisma.group.findUnique({
    where: { id },
    include: { members: { include: { user: { select: { id: true, username: true, email: true } } }, orderBy: { user: { username: "asc" } } } },
  });
  if (!group) notFound();
  const canWrite = roleHasPermission(session.role, "groups:write");
  return (
    <>
      <p><Link href="/groups">← Groups</Link></p>
      <h1>{group.name}</h1>
      <p className="muted">{group.description || "No description."}</p>
      <div className="grid-2">
        <div className="card">
          <h2 style={{ marginTop: 0 }}>Members ({group.members.length})</h2>
          {group.members.length === 0 && <p className="muted">No members yet.</p>}
          <ul data-testid="members">
            {group.members.map((member) => (
              <li key={member.userId} className="actions" style={{ marginBottom: 6 }}>
                <Link href={`/users/${member.user.id}`}>{member.user.username}</Link>
                {canWrite && <ActionForm action={removeMemberAction.bind(null, group.id, member.userId)} submitLabel="Remove" className="actions" />}
              </li>
            ))}
          </ul>
          {canWrite && <AddMemberForm action={addMemberAction.bind(null, group.id)} />}
        </div>
        {canWrite && (
          <div className="card">
            <h2 style={{ marginTop: 0 }}>Rename</h2>
            <GroupForm action={updateGroupAction.bind(null, group.id)} defaults={group} submitLabel="Save group" />
            <h2>Delete</h2>
            <ActionForm action={deleteGroupAction.bind(null, group.id)} submitLabel="Delete group" danger confirm={`Delete the group ${group.name}? Members stay; applications that permit only this group will permit nobody from it.`} className="actions" />
          </div>
        )}
      </div>
    </>
  );
}
