// The field app's service worker (served by the node at /field/sw.js, which prepends SHELL and
// VERSION). It keeps the app shell (the page, its style and script) so the app opens offline;
// it never keeps an API answer or any other page.
const CACHE = "crossroads-field-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(
    names.filter((name) => name.startsWith("crossroads-field-") && name !== CACHE)
      .map((name) => caches.delete(name)))).then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  const shell = SHELL.includes(url.pathname);
  if (!shell) return; // the API and every other page go to the network only
  // The network first (a fresh shell when online), the kept copy when it fails.
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok && response.type === "basic" && !response.redirected) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
    }
    return response;
  }).catch(() => caches.open(CACHE).then((cache) => cache.match(url.pathname))));
});
