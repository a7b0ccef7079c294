import { safeEqual } from "../../crypto/tokens";
import type { TCodeProof } from "../../factors/otp-secret";
import { challengeHash, challengeResponse, ntPasswordHash } from "./nt-response";
import type { TMschapRequest } from "./read-mschap-request";

export type TNtResponseProof = TCodeProof & { matched: () => string | undefined };

// The NAS answered Twofold's Access-Challenge with MS-CHAPv2: no passcode in the packet, only an NT-Response computed
// with it as the password. The verifier puts each code valid now to `matches`; the one that matched is remembered so
// the Access-Accept can prove Twofold knew it (MS-CHAP2-Success) and carry keys derived from it.
export const createNtResponseProof = (options: { mschap: TMschapRequest; userName: Buffer }): TNtResponseProof => {
  const { mschap } = options;
  const challenge = challengeHash({ peerChallenge: mschap.peerChallenge, authenticatorChallenge: mschap.authenticatorChallenge, userName: options.userName });
  let matched: string | undefined;
  return {
    matches: (candidate) => {
      const ok = safeEqual(challengeResponse({ challenge, passwordHash: ntPasswordHash(candidate) }), mschap.ntResponse);
      if (ok) matched = candidate;
      return ok;
    },
    matched: () => matched,
  };
};
