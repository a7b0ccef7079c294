import { createSocket, type Socket } from "node:dgram";
import { isIPv6 } from "node:net";

// `reusePort`: SO_REUSEPORT, so the N processes of one worker host (worker/main.ts) bind the same port and the kernel
// spreads datagrams by source address and port — one NAS socket always reaches the same process, which keeps
// retransmit detection exact. Only sockets of the same user can join. Node 20 ignores the option (see reuse-port.ts).
export const bindUdp = async (options: { host: string; port: number; reusePort?: boolean }): Promise<{ socket: Socket; port: number }> => {
  const socket = createSocket({
    type: isIPv6(options.host) || options.host === "::" ? "udp6" : "udp4",
    recvBufferSize: 4 * 1024 * 1024,
    reusePort: options.reusePort ?? false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(options.port, options.host, () => {
      socket.off("error", reject);
      resolve();
    });
  });
  return { socket, port: socket.address().port };
};

export const closeUdp = (socket: Socket): Promise<void> => new Promise((resolve) => socket.close(() => resolve()));
