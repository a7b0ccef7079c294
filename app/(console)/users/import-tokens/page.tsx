import Link from "next/link";
import { ImportTokensForm } from "@/components/users/import-tokens-form";
import { requirePageSession } from "../../../_server/session";
import { importTokensAction } from "../import-tokens-actions";
import { pageTitle } from "@/app/_server/page-title";

export const metadata = pageTitle("Import hardware tokens");

export default async function ImportTokensPage() {
  await requirePageSession("users:write");
  return (
    <>
      <p><Link href="/users">← Users</Link></p>
      <h1>Import hardware tokens</h1>
      <p className="muted">Each good row becomes an active HOTP token for its user; bad rows are skipped and listed by line.</p>
      <div className="card"><ImportTokensForm action={importTokensAction} /></div>
    </>
  );
}
