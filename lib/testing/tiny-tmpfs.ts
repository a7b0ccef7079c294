import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, openSync, closeSync, rmSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export type TTinyTmpfs = {
  dir: string;
  fill: () => void; // takes every free page: the next write that needs one fails with ENOSPC
  spare: (bytes: number) => void; // with fill: leaves exactly this much (whole pages) free
  free: () => void; // gives back what fill took
  unmount: () => void;
};

// Whether this machine lets the test mount one (root with CAP_SYS_ADMIN): where it does not, the tests that need a
// full disk say so and skip rather than fail on the environment.
export const canMountTmpfs = (() => {
  const dir = mkdtempSync(path.join(tmpdir(), "twofold-tmpfs-probe-"));
  try {
    if (spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]).status !== 0) return false;
    spawnSync("umount", [dir]);
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

// A real filesystem that runs out of space: a small tmpfs (root in this sandbox, as CI is). Writes past its size
// fail with ENOSPC as on a full disk; a short write takes what fits first.
export const mountTinyTmpfs = (options: { sizeKiB: number }): TTinyTmpfs => {
  const dir = mkdtempSync(path.join(tmpdir(), "twofold-tmpfs-"));
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${options.sizeKiB}k,mode=0700`, "tmpfs", dir]);
  const filler = path.join(dir, "filler");
  const spareFile = path.join(dir, "spare");
  let spareBytes = 0;
  return {
    dir,
    spare: (bytes) => {
      spareBytes = bytes;
    },
    fill: () => {
      // The spare first, so that removing it afterwards frees exactly its pages.
      if (spareBytes > 0) writeUntilFull(spareFile, spareBytes);
      writeUntilFull(filler, Number.POSITIVE_INFINITY);
      if (spareBytes > 0) unlinkSync(spareFile);
    },
    free: () => rmSync(filler, { force: true }),
    unmount: () => {
      execFileSync("umount", ["-l", dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

const writeUntilFull = (file: string, limit: number) => {
  const fd = openSync(file, "a");
  const page = Buffer.alloc(4096, 0x78);
  try {
    for (let written = 0; written < limit; written += page.length) writeSync(fd, page);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    closeSync(fd);
  }
};
