// Twofold Authenticator service worker: a push shows a notification; tapping it opens the request in the app.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  let notice = {};
  try {
    notice = event.data ? event.data.json() : {};
  } catch {
    notice = {};
  }
  const where = [notice.callingStationId && `from ${notice.callingStationId}`, notice.nasIp && `via ${notice.nasIp}`].filter(Boolean).join(" ");
  // pushinfo pairs (the calling program's "Command", "Server IP"…), already cleaned and bounded by the server.
  const details = Array.isArray(notice.details) ? notice.details.map((detail) => `${detail.key}: ${detail.value}`) : [];
  const body = [notice.application, where, ...details, notice.verifyNumber && `Number: ${notice.verifyNumber}`].filter(Boolean).join(" · ");
  event.waitUntil(
    self.registration.showNotification("Sign-in request", {
      body: body || "Open Twofold to approve or deny.",
      tag: notice.requestId || "twofold-push",
      requireInteraction: true,
      icon: "/icons/icon-192.png",
      data: { requestId: notice.requestId },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const requestId = event.notification.data && event.notification.data.requestId;
  const url = `/authenticator${requestId ? `?request=${encodeURIComponent(requestId)}` : ""}`;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => new URL(client.url).pathname.startsWith("/authenticator"));
      return open ? open.focus() : self.clients.openWindow(url);
    }),
  );
});
