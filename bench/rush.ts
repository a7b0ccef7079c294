// `npm run bench:rush`: a Monday 08:00 rush (or an ASA failover sending every user back through authentication).
// BENCH_USERS distinct users (default 20,000), each enrolled with TOTP, log in once each with `password,code` through
// one worker in front of an upstream FreeRADIUS, 64 outstanding; then the same through FreeRADIUS doing the same work.
import { runMfaBench } from "./run-mfa-bench";

runMfaBench({ name: "rush", mode: "append" }).then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
