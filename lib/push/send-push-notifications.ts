import webpush from "web-push";
import type { TPrisma } from "../db";
import { notifyPush } from "./notify-push";
import { PUSH_NEW_CHANNEL, ZPushSubscriptionSchema, type TPushNotice } from "./push-schemas";
import { getVapidKeys } from "./vapid-keys";

export type TSendPushNotificationsOptions = {
  prisma: TPrisma;
  userId: string;
  notice: TPushNotice;
  subject: string; // VAPID "sub": mailto: or https: contact for the push service operator
  ttlSec: number;
  fetchImpl?: typeof fetch;
};

// Every active device of the user with a subscription gets one RFC 8291 (aes128gcm) message. web-push encrypts and
// signs the VAPID JWT; we send the request ourselves so an http: endpoint (the loopback test push service) works too.
// Open authenticators hear about it over SSE at once via NOTIFY, subscription or not.
export const sendPushNotifications = async (options: TSendPushNotificationsOptions): Promise<{ sent: number; failed: number }> => {
  const { prisma, userId, notice, subject, ttlSec, fetchImpl = fetch } = options;
  await notifyPush({ prisma, channel: PUSH_NEW_CHANNEL, payload: userId });
  const devices = await prisma.authenticator.findMany({ where: { userId, kind: "push_device", active: true, pushSubscription: { not: { equals: null } } }, select: { id: true, pushSubscription: true } });
  if (devices.length === 0) return { sent: 0, failed: 0 };
  const vapid = await getVapidKeys({ prisma });
  let sent = 0;
  let failed = 0;
  await Promise.all(
    devices.map(async (device) => {
      const subscription = ZPushSubscriptionSchema.safeParse(device.pushSubscription);
      if (!subscription.success) return;
      try {
        const details = webpush.generateRequestDetails(subscription.data, JSON.stringify(notice), {
          vapidDetails: { subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
          TTL: ttlSec,
          urgency: "high",
        });
        const response = await fetchImpl(details.endpoint, { method: details.method, headers: details.headers as Record<string, string>, body: details.body ? new Uint8Array(details.body) : undefined, signal: AbortSignal.timeout(10_000) });
        if (response.ok) sent += 1;
        else {
          failed += 1;
          // Gone: the browser dropped the subscription; stop sending to it (the device still works over SSE).
          if (response.status === 404 || response.status === 410) await prisma.authenticator.update({ where: { id: device.id }, data: { pushSubscription: { set: null } } });
        }
      } catch {
        failed += 1;
      }
    }),
  );
  return { sent, failed };
};
