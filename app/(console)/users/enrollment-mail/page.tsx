import Link from "next/link";
import { prisma } from "@/lib/db";
import { viewSmtpSettings } from "@/lib/mail/read-smtp-settings";
import { BulkEnrollmentMailForm } from "@/components/mail/bulk-enrollment-mail-form";
import { pageTitle } from "@/app/_server/page-title";
import { requirePageSession } from "../../../_server/session";
import { sendBulkEnrollmentEmailAction } from "../enrollment-mail-actions";

export const metadata = pageTitle("Email enrollment links");

export default async function BulkEnrollmentMailPage() {
  await requirePageSession("users:enroll");
  const where = { status: { not: "disabled" as const }, authenticators: { none: { active: true } } };
  const [withEmail, withoutEmail, smtp] = await Promise.all([
    prisma.user.count({ where: { ...where, email: { not: null } } }),
    prisma.user.count({ where: { ...where, email: null } }),
    viewSmtpSettings({ prisma }),
  ]);
  return (
    <>
      <p><Link href="/users">← Users</Link></p>
      <h1>Email enrollment links</h1>
      <p className="muted">
        Every user who is not disabled and has no active authenticator gets a new one-time enrollment link by email (valid 3 days). Each is sent on its own: a
        bad address or a refusal by the mail server is listed below and does not stop the others.
      </p>
      <div className="card">
        {smtp ? (
          <>
            <p>
              {withEmail} user(s) without an authenticator have an email address{withoutEmail > 0 ? `; ${withoutEmail} have none and will be skipped` : ""}. Sent through{" "}
              {smtp.host}:{smtp.port}.
            </p>
            <BulkEnrollmentMailForm action={sendBulkEnrollmentEmailAction} count={withEmail} />
          </>
        ) : (
          <p className="banner warn">No mail server is set up yet: an owner or admin does that in <Link href="/settings/email">Settings → Email</Link>.</p>
        )}
      </div>
    </>
  );
}
