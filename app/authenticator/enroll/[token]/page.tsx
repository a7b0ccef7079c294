import { prisma } from "@/lib/db";
import { ENROLLMENT_LINK_PROBLEMS, resolveEnrollmentLink } from "@/lib/enrollment/resolve-enrollment-link";
import { EnrollDevice } from "./enroll-device";

export const dynamic = "force-dynamic";

export default async function EnrollDevicePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await resolveEnrollmentLink({ prisma, token });
  return (
    <>
      <h1>Use this phone as your authenticator</h1>
      {link.ok ? (
        <EnrollDevice token={token} username={link.username} />
      ) : (
        <div className="banner error" role="alert" data-testid="enroll-invalid">
          {ENROLLMENT_LINK_PROBLEMS[link.reason]}
        </div>
      )}
    </>
  );
}
