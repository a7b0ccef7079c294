import { createSocket, type Socket } from "node:dgram";
import { isIPv6 } from "node:net";

export const bindUdp = async (options: { host: string; port: number }): Promise<{ socket: Socket; port: number }> => {
  const socket = createSocket({ type: isIPv6(options.host) || options.host === "::" ? "udp6" : "udp4", recvBufferSize: 4 * 1024 * 1024 });
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
