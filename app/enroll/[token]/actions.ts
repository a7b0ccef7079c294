"use server";

import { handleAction } from "@/lib/api/handle-action";
import { prisma } from "@/lib/db";
import { completeEnrollment } from "@/lib/enrollment/complete-enrollment";
import { startEnrollment } from "@/lib/enrollment/start-enrollment";
import { createEnrollmentPasswordVerifier } from "@/lib/enrollment/verify-enrollment-password";
import { createApplicationPrimaryVerifier } from "@/lib/enrollment/verify-with-application-primary";
import type { TCompleteEnrollState, TStartEnrollState } from "./enroll-state";

const field = (formData: FormData, name: string): string => {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
};

// No admin session here: the one-time token in the URL plus the user's own primary password are the credentials.
export async function startEnrollmentAction(token: string, _state: TStartEnrollState, formData: FormData): Promise<TStartEnrollState> {
  const result = await handleAction(() =>
    startEnrollment({ prisma, token, input: { password: field(formData, "password"), newPassword: field(formData, "newPassword"), confirmPassword: field(formData, "confirmPassword") }, verifyPassword: createEnrollmentPasswordVerifier({ prisma, external: createApplicationPrimaryVerifier({ prisma }) }) }),
  );
  if (!result.ok) return { step: "password", error: result.error, fieldErrors: result.fieldErrors };
  const { authenticatorId, qrSvg, secretBase32, uri } = result.data;
  return { step: "scan", authenticatorId, qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(qrSvg).toString("base64")}`, secretBase32, uri };
}

export async function completeEnrollmentAction(token: string, _state: TCompleteEnrollState, formData: FormData): Promise<TCompleteEnrollState> {
  const input = { authenticatorId: field(formData, "authenticatorId"), code: field(formData, "code"), name: field(formData, "name") };
  const result = await handleAction(() => completeEnrollment({ prisma, token, input }));
  if (!result.ok) return { done: false, error: result.error, fieldErrors: result.fieldErrors };
  return { done: true, username: result.data.username };
}
