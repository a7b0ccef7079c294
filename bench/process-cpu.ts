import { readdirSync, readFileSync } from "node:fs";

// CPU seconds per process group of this benchmark's tree (from /proc), and the whole machine's busy time, so a figure
// taken on a shared 2-core machine says who had the cores: the worker, PostgreSQL, the FreeRADIUS servers, the load
// generator (this process) and everything else running on the host.
const TICKS_PER_SECOND = 100;

type TProc = { pid: number; ppid: number; comm: string; cmdline: string; cpuSec: number; sysSec: number; rssBytes: number };

const readProc = (pid: number): TProc | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    const cpuSec = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    const sysSec = Number(fields[12]) / TICKS_PER_SECOND;
    const rssBytes = Number(fields[21]) * 4096;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
    return { pid, ppid: Number(fields[1]), comm, cmdline, cpuSec, sysSec, rssBytes };
  } catch {
    return undefined; // exited meanwhile
  }
};

export const processTree = (root = process.pid): TProc[] => {
  const all = readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map((name) => readProc(Number(name))).filter((proc): proc is TProc => !!proc);
  const children = new Map<number, TProc[]>();
  for (const proc of all) children.set(proc.ppid, [...(children.get(proc.ppid) ?? []), proc]);
  const tree: TProc[] = [];
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      tree.push(child);
      walk(child.pid);
    }
  };
  const self = all.find((proc) => proc.pid === root);
  if (self) tree.push(self);
  walk(root);
  return tree;
};

const groupOf = (proc: TProc, root: number): string => {
  if (proc.pid === root) return "load generator (bench)";
  if (proc.comm.startsWith("postgres")) return "postgresql";
  if (proc.comm.startsWith("freeradius")) return "freeradius";
  if (/worker\/[\w-]+\.(ts|js)|build-worker\.mjs/.test(proc.cmdline)) return "twofold worker"; // source or bundle
  return proc.comm;
};

// Per process, so a process that starts or exits between two snapshots (a pool opening a connection: a new PostgreSQL
// backend) neither inflates nor cancels its group's figure.
export type TCpuSnapshot = { at: number; procs: Map<number, { group: string; cpuSec: number; sysSec: number }>; machineBusySec: number; machineTotalSec: number };

const machine = (): { busy: number; total: number } => {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!.split(/\s+/).slice(1).map(Number);
  const idle = (line[3] ?? 0) + (line[4] ?? 0);
  const total = line.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
};

export const cpuSnapshot = (root = process.pid): TCpuSnapshot => {
  const procs = new Map(processTree(root).map((proc) => [proc.pid, { group: groupOf(proc, root), cpuSec: proc.cpuSec, sysSec: proc.sysSec }]));
  const { busy, total } = machine();
  return { at: performance.now(), procs, machineBusySec: busy, machineTotalSec: total };
};

// "worker 0.82 cores, postgresql 0.55, …; machine 1.9 of 2 cores busy (0.2 not ours)".
export const describeCpu = (before: TCpuSnapshot, after: TCpuSnapshot, logins?: number): string => {
  const seconds = (after.at - before.at) / 1000;
  const cpu = new Map<string, number>();
  const sysOf = new Map<string, number>();
  for (const [pid, proc] of after.procs) {
    const old = before.procs.get(pid);
    cpu.set(proc.group, (cpu.get(proc.group) ?? 0) + proc.cpuSec - (old?.cpuSec ?? 0));
    sysOf.set(proc.group, (sysOf.get(proc.group) ?? 0) + proc.sysSec - (old?.sysSec ?? 0));
  }
  const ours = [...cpu].map(([group, sec]) => [group, sec / seconds] as const).filter(([, cores]) => cores > 0.005).sort((a, b) => b[1] - a[1]);
  const oursTotal = ours.reduce((sum, [, cores]) => sum + cores, 0);
  const cores = (after.machineTotalSec - before.machineTotalSec) / seconds;
  const busy = (after.machineBusySec - before.machineBusySec) / seconds;
  const perLogin = (cores: number) => (logins ? ` (${((1000 * cores * seconds) / logins).toFixed(3)} ms/login)` : "");
  const kernel = (group: string, cores: number) => (cores > 0 ? `, ${Math.round((100 * (sysOf.get(group) ?? 0)) / (cores * seconds))}% in the kernel` : "");
  return `${ours.map(([group, value]) => `${group} ${value.toFixed(2)}${perLogin(value)}${kernel(group, value)}`).join("; ")} cores; machine ${busy.toFixed(2)} of ${cores.toFixed(1)} cores busy (${Math.max(0, busy - oursTotal).toFixed(2)} not this benchmark)`;
};

