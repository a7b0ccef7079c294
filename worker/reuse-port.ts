import { bindUdp, closeUdp } from "./bind-udp";

export type TReusePortSupport = { ok: true } | { ok: false; why: string };

// Whether this Node sets SO_REUSEPORT on UDP sockets (`reusePort`, Node 22.12+/23.1+; Node 20 ignores the option and
// the second bind fails). Tried for real: two sockets on one loopback port, which also covers a kernel without it.
export const probeReusePort = async (): Promise<TReusePortSupport> => {
  const first = await bindUdp({ host: "127.0.0.1", port: 0, reusePort: true });
  try {
    const second = await bindUdp({ host: "127.0.0.1", port: first.port, reusePort: true });
    await closeUdp(second.socket);
    return { ok: true };
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : String(error);
    return { ok: false, why: `Node ${process.version} cannot bind two UDP sockets to one port (reusePort: ${code}); Node 24 can` };
  } finally {
    await closeUdp(first.socket);
  }
};
