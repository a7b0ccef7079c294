"use client";

import { ActionForm } from "../forms/action-form";
import type { TFormAction } from "../forms/form-state";
import { RotatedSkey } from "./application-form";

export function RotateSkeyForm({ action }: { action: TFormAction }) {
  return (
    <ActionForm
      action={action}
      submitLabel="Rotate secret key"
      pendingLabel="Rotating…"
      danger
      confirm="Rotate the secret key? The current key stops working immediately."
      successMessage="Secret key rotated. Copy it now: it is shown only this once."
    >
      <RotatedSkey />
    </ActionForm>
  );
}
