export const SESSION_COOKIE = "twofold_session";
export const PENDING_SIGN_IN_COOKIE = "twofold_pending";
// Absolute lifetime and idle timeout: a forgotten laptop stops being an open console after an hour.
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const SESSION_IDLE_MS = 60 * 60 * 1000;
// lastSeenAt is written at most this often so page views do not become a write per request.
export const SESSION_TOUCH_MS = 60 * 1000;
