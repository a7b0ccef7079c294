// Shared by server actions (which return it) and client forms (which render it); types only, no runtime.
export type TFormState = {
  ok?: boolean;
  error?: string;
  code?: string;
  message?: string;
  fieldErrors?: Record<string, string[]>;
  // A secret to show exactly once (skey, bypass codes): rendered from this response, never stored for re-display.
  once?: Record<string, string>;
} | undefined;

export type TFormAction = (state: TFormState, formData: FormData) => Promise<TFormState>;
