import Link from "next/link";
import { ImportUsersForm } from "@/components/users/import-form";
import { requirePageSession } from "../../../_server/session";
import { importUsersAction } from "../actions";
import { pageTitle } from "@/app/_server/page-title";

export const metadata = pageTitle("Import users");

export default async function ImportUsersPage() {
  await requirePageSession("users:write");
  return (
    <>
      <p><Link href="/users">← Users</Link></p>
      <h1>Import users</h1>
      <p className="muted">Row by row: every good row is imported, every bad row is listed with its line and skipped, so a file can be fixed and sent again.</p>
      <div className="card"><ImportUsersForm action={importUsersAction} /></div>
    </>
  );
}
