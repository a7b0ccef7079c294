// One sentence per policy field: shown beside the form control and in the overrides list.
export const POLICY_FIELD_HELP = {
  newUserPolicy: "What happens when someone passes the password check but has no second factor enrolled yet.",
  usernameNormalization: "Whether DOMAIN\\user and user@domain are reduced to plain user before looking the user up.",
  allowedFactors: "Which kinds of second factor users may use; none ticked means all of them.",
  lockoutThreshold: "Failed second-factor attempts in a row before the user is locked out (0 never locks).",
  autoUnlockMinutes: "Minutes after which a locked-out user is unlocked automatically (empty or 0: only helpdesk unlocks).",
  failMode: "When Twofold cannot reach its database or a factor service: safe lets users in on the password alone, secure rejects them.",
  challengeTimeoutSec: "Seconds a user has to answer the second-factor prompt before starting over.",
  maxChallengeAttempts: "Wrong codes allowed within one prompt before the login is rejected.",
  pushTimeoutSec: "Seconds to wait for a push approval; keep it under the ASA's RADIUS timeout of 60.",
  pushRateLimitPerHour: "Pushes one user may leave unanswered or deny per hour before push is refused (approved ones do not count), which blunts push-fatigue attacks.",
  verifiedPush: "The phone shows a number with each push, and the user types that number into the VPN client's prompt: a tap on Approve alone does not sign in, so push bombing cannot.",
  whenNothingTyped: "A password with no code after it: show the menu of factors, or push to the user's first device at once (the menu only for users without one).",
  authorizedNetworks: "The user's own networks (Calling-Station-Id; the Duo API's ipaddr) from which they may skip the second factor, never the NAS's address; one CIDR per line.",
} as const;

export const POLICY_FIELD_LABELS: Record<keyof typeof POLICY_FIELD_HELP, string> = {
  newUserPolicy: "New-user policy",
  usernameNormalization: "Username normalization",
  allowedFactors: "Allowed factors",
  lockoutThreshold: "Lockout threshold",
  autoUnlockMinutes: "Auto-unlock after (minutes)",
  failMode: "Fail mode",
  challengeTimeoutSec: "Challenge timeout (seconds)",
  maxChallengeAttempts: "Attempts per challenge",
  pushTimeoutSec: "Push timeout (seconds)",
  pushRateLimitPerHour: "Push requests per hour",
  verifiedPush: "Verified push",
  whenNothingTyped: "When nothing is typed",
  authorizedNetworks: "Authorized networks",
};

export const NEW_USER_POLICY_LABELS = {
  require_enrollment: "Require enrollment (reject and send an enrollment link)",
  allow_without_2fa: "Allow access without 2FA",
  deny: "Deny access",
} as const;
