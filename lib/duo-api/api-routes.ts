import { adminV1Users } from "./admin-v1-users";
import { adminV2LogsAuthentication } from "./admin-v2-logs-authentication";
import { authV2Auth } from "./auth-v2-auth";
import { authV2AuthStatus } from "./auth-v2-auth-status";
import { authV2Enroll } from "./auth-v2-enroll";
import { authV2EnrollStatus } from "./auth-v2-enroll-status";
import { authV2Preauth } from "./auth-v2-preauth";
import { authV2Check, authV2Logo, authV2Ping } from "./auth-v2-service";
import type { TApiRoute } from "./define-api-route";
import { restV1Auth } from "./rest-v1-auth";
import { restV1Preauth } from "./rest-v1-preauth";
import { restV1Check, restV1Logo, restV1Ping } from "./rest-v1-service";
import { restV1Status } from "./rest-v1-status";

// Every endpoint the worker's HTTPS API serves: Duo's Auth API v2 and v1, and the read-only part of the Admin API.
export const API_ROUTES: readonly TApiRoute[] = [
  authV2Ping,
  authV2Check,
  authV2Logo,
  authV2Enroll,
  authV2EnrollStatus,
  authV2Preauth,
  authV2Auth,
  authV2AuthStatus,
  restV1Ping,
  restV1Check,
  restV1Logo,
  restV1Preauth,
  restV1Auth,
  restV1Status,
  adminV2LogsAuthentication,
  adminV1Users,
];
