import { integerAttribute } from "../radius/attributes";
import { Attr } from "../radius/constants";

// RFC 5176 §3.6 Error-Cause values Twofold sends itself; a NAS's own NAK is relayed as it came.
export const ErrorCause = {
  MissingAttribute: 402, // no session or NAS identification to route by
  RequestNotRoutable: 502, // no NAS for it in this application
  SessionContextNotFound: 503,
  OtherProxyProcessingError: 505, // the NAS did not answer, or answered with something else
  MultipleSessionSelectionUnsupported: 508, // the identification matches sessions on more than one NAS
} as const;
export type TErrorCause = (typeof ErrorCause)[keyof typeof ErrorCause];

export const errorCauseAttribute = (cause: TErrorCause) => integerAttribute(Attr.ErrorCause, cause);
