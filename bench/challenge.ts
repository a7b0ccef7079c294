// `npm run bench:challenge`: the rush's users, each giving the password first and the TOTP code in the answer to the
// Access-Challenge (two round trips; the State lives in PostgreSQL, valid on every worker). Figures are per
// completed login, with each round's latency beside them.
import { runMfaBench } from "./run-mfa-bench";

runMfaBench({ name: "challenge", mode: "challenge" }).then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
