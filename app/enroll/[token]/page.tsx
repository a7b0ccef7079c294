import { prisma } from "@/lib/db";
import { ENROLLMENT_LINK_PROBLEMS, resolveEnrollmentLink } from "@/lib/enrollment/resolve-enrollment-link";
import { completeEnrollmentAction, startEnrollmentAction } from "./actions";
import { EnrollFlow } from "./enroll-flow";

export const dynamic = "force-dynamic";

export const metadata = { title: "Set up two-factor authentication · Twofold", referrer: "no-referrer" };

export default async function EnrollPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await resolveEnrollmentLink({ prisma, token });
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>Set up two-factor authentication</h1>
        {link.ok ? (
          <>
            <EnrollFlow username={link.username} choosePassword={link.passwordChoiceRequired} start={startEnrollmentAction.bind(null, token)} complete={completeEnrollmentAction.bind(null, token)} />
            <p className="hint">
              <a href={`/authenticator/enroll/${token}`}>Use the Twofold app on this phone instead</a> (approve sign-ins with a tap)
            </p>
          </>
        ) : (
          <div className="banner error" role="alert" data-testid="enroll-invalid">
            {ENROLLMENT_LINK_PROBLEMS[link.reason]}
          </div>
        )}
      </div>
    </main>
  );
}
