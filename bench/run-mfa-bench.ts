import { cpus, loadavg } from "node:os";
import { databaseCounters, describeDbWork, describeMemory, resetStatements, type TDbSnapshot } from "./db-work";
import { startMfaBaseline } from "./freeradius-mfa";
import { NAS_SECRET, startMfaFixture, UPSTREAM_SECRET, type TBenchWorker, type TMfaFixture } from "./mfa-fixture";
import { runMfaLoad, type TMfaLoadResult } from "./mfa-load";
import { cpuSnapshot, describeCpu } from "./process-cpu";
import { summarizeProfile } from "./summarize-profile";

// The body of `npm run bench:rush`, `bench:challenge` and `bench:mixed`: the same users log in once each through
// FreeRADIUS doing the same work (the baseline), then through Twofold; each run is followed by where its time went.
// BENCH_USERS (default 20,000), BENCH_WARMUP (2,000), BENCH_CONCURRENCY (64), BENCH_PROFILE=0 (no CPU profile).

export type TMfaBenchOptions = {
  name: string;
  mode: "append" | "challenge";
  // Runs after the worker is up and before the measured run (e.g. holds pending pushes); its return runs at the end.
  during?: (context: { fixture: TMfaFixture; worker: TBenchWorker }) => Promise<{ report: () => Promise<string>; stop: () => Promise<void> }>;
};

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const line = (label: string, result: TMfaLoadResult) =>
  `${label.padEnd(11)} ${result.loginsPerSec.toFixed(0).padStart(6)} logins/s  p50 ${result.p50Ms.toFixed(1)} ms  p99 ${result.p99Ms.toFixed(1)} ms` +
  `${result.roundP99Ms !== result.p99Ms ? `  (per round p50 ${result.roundP50Ms.toFixed(1)} / p99 ${result.roundP99Ms.toFixed(1)} ms)` : ""}` +
  `  accepted ${result.accepted}/${result.logins}  failed ${result.failed}  timeouts ${result.timeouts}  retransmits ${result.retransmits}  in ${result.seconds.toFixed(1)} s  codes ${JSON.stringify(result.codes)}`;

export const runMfaBench = async (options: TMfaBenchOptions): Promise<void> => {
  const count = env("BENCH_USERS", 20_000);
  const concurrency = env("BENCH_CONCURRENCY", 64);
  console.log(`${options.name}: ${count} users enrolled with TOTP, each logging in once (${options.mode === "append" ? "password,code" : "password, then the code in the Access-Challenge answer"}), ${concurrency} outstanding`);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load average before ${loadavg().map((value) => value.toFixed(2)).join(" ")}`);
  const fixture = await startMfaFixture({ users: count, warmup: env("BENCH_WARMUP", 2000) });
  const cleanups: (() => Promise<unknown>)[] = [() => fixture.stop()];
  try {
    const upstream = { host: "127.0.0.1", port: fixture.upstream.authPort, secret: UPSTREAM_SECRET };
    const baseline = await startMfaBaseline({ secret: NAS_SECRET, mode: options.mode, users: [...fixture.warmup, ...fixture.users], upstream });
    cleanups.push(() => baseline.stop());
    const load = (port: number, users: TMfaFixture["users"]) => runMfaLoad({ host: "127.0.0.1", port, secret: NAS_SECRET, users, mode: options.mode, concurrency });

    // FreeRADIUS first: it has no replay guard, so the codes it sees are still fresh for Twofold.
    await load(baseline.authPort, fixture.warmup);
    let cpu = cpuSnapshot();
    const freeradius = await load(baseline.authPort, fixture.users);
    const freeradiusCpu = describeCpu(cpu, cpuSnapshot(), freeradius.accepted);
    console.log(line("freeradius", freeradius));
    console.log(`  cpu: ${freeradiusCpu}`);
    await baseline.stop();
    cleanups.pop();

    const worker = await fixture.startWorker();
    cleanups.push(async () => {
      const profiles = await worker.stop();
      if (profiles.length > 0) console.log(`\nworker CPU profile (${profiles.length} processes added up, their whole run incl. start and warm-up; idle excluded):\n  ${profiles.join("\n  ")}\n${summarizeProfile(profiles)}`);
    });
    const during = await options.during?.({ fixture, worker });
    if (during) cleanups.push(() => during.stop());
    await load(worker.authPort, fixture.warmup);

    await resetStatements(fixture.database.url);
    const before: TDbSnapshot = { database: await databaseCounters(fixture.database.url), worker: await worker.dbStats() };
    cpu = cpuSnapshot();
    let rssMax = 0;
    const sampler = setInterval(() => (rssMax = Math.max(rssMax, worker.rssBytes())), 250);
    const twofold = await load(worker.authPort, fixture.users);
    clearInterval(sampler);
    const twofoldCpu = describeCpu(cpu, cpuSnapshot(), twofold.accepted);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the auth log's batched inserts land
    const after: TDbSnapshot = { database: await databaseCounters(fixture.database.url), worker: await worker.dbStats() };

    console.log(line("twofold", twofold));
    console.log(`  cpu: ${twofoldCpu}`);
    console.log(`  worker: ${worker.processes()} node processes, resident memory of all of them together max ${(rssMax / 1024 / 1024).toFixed(0)} MB during the run (${after.worker.map((stats) => `${(stats.rssBytes / 1024 / 1024).toFixed(0)}`).join(" + ")} MB at its end)`);
    console.log(describeMemory(after.worker));
    console.log(await describeDbWork({ databaseUrl: fixture.database.url, before, after, logins: twofold.accepted + twofold.failed, seconds: twofold.seconds }));
    if (during) console.log(await during.report());
    console.log(
      `\n${options.name}: Twofold ${twofold.loginsPerSec.toFixed(0)} logins/s (p99 ${twofold.p99Ms.toFixed(1)} ms, ${twofold.accepted}/${count} accepted) vs FreeRADIUS ${freeradius.loginsPerSec.toFixed(0)} logins/s (p99 ${freeradius.p99Ms.toFixed(1)} ms): ratio ${(twofold.loginsPerSec / freeradius.loginsPerSec).toFixed(2)}`,
    );
    if (twofold.accepted !== count) process.exitCode = 1;
  } finally {
    for (const step of cleanups.reverse()) await step();
  }
};
