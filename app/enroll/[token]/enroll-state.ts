// What the enrollment page shows next; returned by its server actions, rendered by the client flow.
export type TFieldErrors = Record<string, string[] | undefined>;

export type TStartEnrollState =
  | { step: "password"; error?: string; fieldErrors?: TFieldErrors }
  | { step: "scan"; authenticatorId: string; qrDataUrl: string; secretBase32: string; uri: string };

export type TCompleteEnrollState = { done: false; error?: string; fieldErrors?: TFieldErrors } | { done: true; username: string };
