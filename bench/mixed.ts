// `npm run bench:mixed`: the rush (bench/rush.ts) while the same worker holds BENCH_PENDING (default 5,000) pushes
// nobody answers. Reports the rush's figures as the rush does, the worker's resident memory, and that every push is
// still pending afterwards.
import { holdPendingPushes } from "./hold-pending-pushes";
import { runMfaBench } from "./run-mfa-bench";

runMfaBench({ name: "mixed", mode: "append", during: holdPendingPushes }).then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
