import Link from "next/link";
import { prisma } from "@/lib/db";
import { decodeCursor, queryAuthEvents, ZAuthEventFilterSchema } from "@/lib/auth-log/query-auth-events";
import { toAuthEventView } from "@/lib/auth-log/auth-event-view";
import { AUTH_REASONS } from "@/lib/auth-log/reason-codes";
import { describeReason } from "@/lib/auth-log/reason-messages";
import { LiveAuthLog } from "@/components/auth-log/live-auth-log";
import { requirePageSession } from "../../_server/session";
import { pageTitle } from "@/app/_server/page-title";

type TParams = { user?: string; account?: string; applicationId?: string; client?: string; result?: string; reason?: string; from?: string; to?: string; before?: string };

export const metadata = pageTitle("Authentication log");

export default async function AuthLogPage({ searchParams }: { searchParams: Promise<TParams> }) {
  await requirePageSession("authlog:read");
  const params = await searchParams;
  const parsed = ZAuthEventFilterSchema.safeParse(params);
  const filter = parsed.success ? parsed.data : {};
  const before = decodeCursor(params.before);
  const [page, applications, clients] = await Promise.all([
    queryAuthEvents({ prisma, filter, before, take: 50 }),
    prisma.application.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
    prisma.radiusClient.findMany({ select: { name: true }, orderBy: { name: "asc" } }),
  ]);
  const query = new URLSearchParams(Object.entries(params).filter(([key, value]) => key !== "before" && value) as [string, string][]).toString();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Auth log</h1>
          <p className="muted">Every authentication decision with its reason. Newest first; new events stream in live.</p>
        </div>
        <a className="button" href={`/api/auth-events/export?${query}`} download>
          Export CSV
        </a>
      </div>
      {!parsed.success && <div className="banner error">Some filters were invalid and are ignored.</div>}
      <form className="filters" method="get" aria-label="Filters">
        <div className="field">
          <label htmlFor="f-user">User</label>
          <input id="f-user" name="user" type="search" defaultValue={params.user} placeholder="alice, CORP\alice, alice@…" title="The start of the account's name or of the name the user typed; DOMAIN\user and user@domain find the account as the policy normalizes them." />
        </div>
        {params.account && (
          <div className="field">
            <label htmlFor="f-account">Account (exact)</label>
            <input id="f-account" name="account" type="search" defaultValue={params.account} />
          </div>
        )}
        <div className="field">
          <label htmlFor="f-app">Application</label>
          <select id="f-app" name="applicationId" defaultValue={params.applicationId ?? ""}>
            <option value="">All</option>
            {applications.map((application) => <option key={application.id} value={application.id}>{application.name}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-client">Client</label>
          <select id="f-client" name="client" defaultValue={params.client ?? ""}>
            <option value="">All</option>
            {clients.map((client) => <option key={client.name} value={client.name}>{client.name}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-result">Result</label>
          <select id="f-result" name="result" defaultValue={params.result ?? ""}>
            <option value="">All</option>
            {["success", "failure", "error", "fraud"].map((result) => <option key={result} value={result}>{result}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-reason">Reason</label>
          <select id="f-reason" name="reason" defaultValue={params.reason ?? ""}>
            <option value="">All</option>
            {AUTH_REASONS.map((reason) => <option key={reason} value={reason} title={describeReason(reason)}>{reason}</option>)}
          </select>
        </div>
        <div className="field"><label htmlFor="f-from">From (UTC)</label><input id="f-from" name="from" type="datetime-local" defaultValue={params.from} /></div>
        <div className="field"><label htmlFor="f-to">To (UTC)</label><input id="f-to" name="to" type="datetime-local" defaultValue={params.to} /></div>
        <button type="submit" className="primary">Filter</button>
        <Link href="/auth-log" className="button">Clear</Link>
      </form>
      <LiveAuthLog key={`${query}|${params.before ?? ""}`} initial={page.rows.map(toAuthEventView)} query={query} live={!before} />
      <p className="actions" style={{ marginTop: 12 }}>
        {before && <Link href={`/auth-log?${query}`}>← Newest</Link>}
        {page.nextCursor && <Link href={`/auth-log?${query}${query ? "&" : ""}before=${encodeURIComponent(page.nextCursor)}`}>Older →</Link>}
      </p>
    </>
  );
}
