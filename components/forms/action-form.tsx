"use client";

import { createContext, startTransition, useActionState, useContext, type FormEvent, type ReactNode } from "react";
import type { TFormAction, TFormState } from "./form-state";

const FormStateContext = createContext<TFormState>(undefined);
export const useFormResult = (): TFormState => useContext(FormStateContext);

// Dispatching from onSubmit (instead of <form action>) keeps what the admin typed when the server says a field is wrong.
export function ActionForm(props: {
  action: TFormAction;
  submitLabel: string;
  pendingLabel?: string;
  children?: ReactNode;
  danger?: boolean;
  confirm?: string;
  className?: string;
  successMessage?: string;
  testId?: string;
}) {
  const [state, dispatch, pending] = useActionState(props.action, undefined);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (props.confirm && !window.confirm(props.confirm)) return;
    const formData = new FormData(event.currentTarget);
    startTransition(() => dispatch(formData));
  };
  return (
    <FormStateContext.Provider value={state}>
      <form className={props.className ?? "form"} onSubmit={onSubmit} noValidate data-testid={props.testId}>
        {state?.error && (
          <div className="banner error" role="alert">
            {state.error}
          </div>
        )}
        {state?.ok && (state.message ?? props.successMessage) && (
          <div className="banner ok" role="status">
            {state.message ?? props.successMessage}
          </div>
        )}
        {props.children}
        <div className="actions">
          <button type="submit" className={props.danger ? "danger" : "primary"} disabled={pending}>
            {pending ? (props.pendingLabel ?? "Saving…") : props.submitLabel}
          </button>
        </div>
      </form>
    </FormStateContext.Provider>
  );
}
