import { deriveServerMppeKeys } from "./mppe-keys";
import { generateAuthenticatorResponse, ntPasswordHash } from "./nt-response";
import type { TMschapRequest } from "./read-mschap-request";
import type { TMschapReply } from "./read-mschap-reply";

// Twofold's own MS-CHAPv2 success for a passcode round, as an authenticator holding that "password" computes it
// (RFC 2759 §8.7, RFC 3079): the NAS checks the S= value against the passcode it hashed.
export const buildPasscodeReply = (options: { mschap: TMschapRequest; userName: Buffer; passcode: string }): TMschapReply => {
  const { mschap, userName } = options;
  const passwordHash = ntPasswordHash(options.passcode);
  const exchange = { authenticatorChallenge: mschap.authenticatorChallenge, peerChallenge: mschap.peerChallenge, userName };
  const success = generateAuthenticatorResponse({ ...exchange, passwordHash, ntResponse: mschap.ntResponse });
  return {
    success: Buffer.concat([Buffer.from([mschap.ident]), Buffer.from(success, "ascii")]),
    keys: deriveServerMppeKeys({ passwordHash, ntResponse: mschap.ntResponse }),
    carried: [],
    error: [],
  };
};
