// Crossroads field capture: offline forms, drafts encrypted with a key from the worker's PIN
// (PBKDF2 -> AES-GCM), submissions sealed to the node's public key (ECDH P-256 ephemeral ->
// HKDF-SHA-256 -> AES-GCM) and kept in IndexedDB only as ciphertext, sent when the network
// returns. Nothing is ever written to localStorage or sessionStorage.
(() => {
  "use strict";
  const main = document.getElementById("main");
  const T = (name) => document.getElementById("field-strings").dataset[name] || name;
  const enc = new TextEncoder(), dec = new TextDecoder();
  const PBKDF2_ROUNDS = 310000, IDLE_MS = 5 * 60 * 1000, CHECK = "crossroads-field-pin-ok";
  const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf)));
  const unb64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  let pinKey = null, idleTimer = null, openDraft = null, syncing = false;

  // ---- IndexedDB: meta (PIN salt, check, expiry, failures, node key), drafts (PIN-encrypted),
  // queue (sealed to the node), receipts (no content).
  const STORES = ["meta", "drafts", "queue", "receipts"];
  let dbPromise = null;
  function db() {
    dbPromise = dbPromise || new Promise((resolve, reject) => {
      const request = indexedDB.open("crossroads-field", 1);
      request.onupgradeneeded = () => STORES.forEach((s) => request.result.createObjectStore(s, { keyPath: "id" }));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return dbPromise;
  }
  async function run(store, mode, act) {
    const handle = await db();
    return new Promise((resolve, reject) => {
      const tx = handle.transaction(store, mode);
      const request = act(tx.objectStore(store));
      tx.oncomplete = () => resolve(request && request.result);
      tx.onerror = () => reject(tx.error);
    });
  }
  const get = (s, id) => run(s, "readonly", (o) => o.get(id));
  const all = (s) => run(s, "readonly", (o) => o.getAll());
  const put = (s, v) => run(s, "readwrite", (o) => o.put(v));
  const del = (s, id) => run(s, "readwrite", (o) => o.delete(id));
  const clear = (s) => run(s, "readwrite", (o) => o.clear());

  // ---- Crypto
  async function derivePinKey(pin, salt) {
    const base = await crypto.subtle.importKey("raw", enc.encode(pin), "PBKDF2", false, ["deriveKey"]);
    return crypto.subtle.deriveKey({ name: "PBKDF2", salt, iterations: PBKDF2_ROUNDS, hash: "SHA-256" },
      base, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
  }
  async function lockBox(key, text, aad) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: enc.encode(aad) }, key, enc.encode(text));
    return { iv: b64(iv), ct: b64(ct) };
  }
  async function openBox(key, box, aad) {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64(box.iv), additionalData: enc.encode(aad) }, key, unb64(box.ct));
    return dec.decode(plain);
  }
  async function sealForNode(meta, contentId, kind, text) {
    const node = await crypto.subtle.importKey("raw", unb64(meta.public_key), { name: "ECDH", namedCurve: "P-256" }, false, []);
    const mine = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
    const epk = await crypto.subtle.exportKey("raw", mine.publicKey);
    const secret = await crypto.subtle.deriveBits({ name: "ECDH", public: node }, mine.privateKey, 256);
    const hkdf = await crypto.subtle.importKey("raw", secret, "HKDF", false, ["deriveKey"]);
    const key = await crypto.subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt: epk, info: enc.encode("crossroads field capture v1") },
      hkdf, { name: "AES-GCM", length: 256 }, false, ["encrypt"]);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const aad = enc.encode("crossroads-field/v1|" + contentId + "|" + kind);
    const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad }, key, enc.encode(text));
    return { v: 1, kid: meta.kid, epk: b64(epk), iv: b64(iv), ct: b64(ct) };
  }

  // ---- Screens
  const KINDS = ["registration", "screening", "contact_note", "field_report"];
  const screens = ["start", "setup", "unlock", "main", ...KINDS];
  function show(name) {
    screens.forEach((s) => { document.getElementById("screen-" + s).hidden = s !== name; });
    const heading = document.querySelector("#screen-" + name + " h1");
    if (heading) { heading.tabIndex = -1; heading.focus(); }
  }
  function netState() {
    document.getElementById("net-state").textContent = navigator.onLine ? T("online") : T("offline");
  }
  async function fetchDevice() {
    const response = await fetch(main.dataset.device, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (response.status === 401 || response.status === 403) return { refused: response.status };
    if (!response.ok) throw new Error("device " + response.status);
    return response.json();
  }

  async function wipeDrafts(message) {
    pinKey = null;
    await clear("drafts");
    await clear("receipts");
    await del("meta", "device");
    const start = document.getElementById("start-message");
    start.textContent = message;
    show("start");
  }

  async function start() {
    netState();
    const meta = await get("meta", "device");
    if (!meta) {
      try {
        const device = await fetchDevice();
        if (device.refused) {
          document.getElementById("start-message").textContent = device.refused === 403 ? T("notAllowed") : T("logIn");
          return show("start");
        }
        main._device = device;
        return show("setup");
      } catch (error) {
        document.getElementById("start-message").textContent = T("needOnline");
        return show("start");
      }
    }
    if (Date.now() > meta.expires_at) return wipeDrafts(T("expired"));
    show("unlock");
  }

  async function setup(event) {
    event.preventDefault();
    const pin = document.getElementById("setup-pin").value, again = document.getElementById("setup-pin2").value;
    const error = document.getElementById("setup-error");
    if (!/^\d{6,12}$/.test(pin)) { error.textContent = T("pinShort"); return; }
    if (pin !== again) { error.textContent = T("pinMismatch"); return; }
    const device = main._device;
    const salt = crypto.getRandomValues(new Uint8Array(16));
    pinKey = await derivePinKey(pin, salt);
    await put("meta", {
      id: "device", salt: b64(salt), check: await lockBox(pinKey, CHECK, "check"), failures: 0,
      expires_at: Date.now() + device.offline_hours * 3600 * 1000, offline_hours: device.offline_hours,
      pin_attempts: device.pin_attempts, kid: device.kid, public_key: device.public_key,
    });
    document.getElementById("setup-form").reset();
    enterMain();
  }

  async function unlock(event) {
    event.preventDefault();
    const input = document.getElementById("unlock-pin"), error = document.getElementById("unlock-error");
    const meta = await get("meta", "device");
    if (!meta) return start();
    if (Date.now() > meta.expires_at) return wipeDrafts(T("expired"));
    const key = await derivePinKey(input.value, unb64(meta.salt));
    input.value = "";
    try {
      if (await openBox(key, meta.check, "check") !== CHECK) throw new Error("check");
    } catch (wrong) {
      meta.failures += 1;
      if (meta.failures >= meta.pin_attempts) return wipeDrafts(T("wiped"));
      await put("meta", meta);
      error.textContent = T("pinWrong") + " " + (meta.pin_attempts - meta.failures);
      return;
    }
    meta.failures = 0;
    await put("meta", meta);
    error.textContent = "";
    pinKey = key;
    enterMain();
  }

  function lock(message) {
    pinKey = null;
    openDraft = null;
    document.querySelectorAll(".field-form").forEach((form) => form.reset());
    document.getElementById("unlock-error").textContent = message || "";
    show("unlock");
  }
  function touch() {
    clearTimeout(idleTimer);
    if (pinKey) idleTimer = setTimeout(() => lock(T("locked")), IDLE_MS);
  }

  async function enterMain() {
    touch();
    await renderLists();
    show("main");
    if (navigator.onLine) sync();
  }

  // ---- Drafts
  const camel = (name) => name.replace(/_(\w)/g, (m, c) => c.toUpperCase());
  function label(kind, at) {
    return T(camel(kind)) + " · " + new Date(at).toLocaleString();
  }
  async function renderLists() {
    const drafts = (await all("drafts")).sort((a, b) => a.created - b.created);
    const list = document.getElementById("draft-list");
    list.replaceChildren(...drafts.map((d) => {
      const item = document.createElement("li");
      item.append(T("draft") + ": " + label(d.kind, d.created) + " ");
      const open = document.createElement("button");
      open.type = "button"; open.textContent = T("open");
      open.addEventListener("click", () => editDraft(d.id));
      const remove = document.createElement("button");
      remove.type = "button"; remove.className = "link"; remove.textContent = T("delete");
      remove.addEventListener("click", async () => { await del("drafts", d.id); renderLists(); });
      item.append(open, " ", remove);
      return item;
    }));
    const receipts = (await all("receipts")).sort((a, b) => a.at - b.at);
    document.getElementById("receipt-list").replaceChildren(...receipts.map((r) => {
      const item = document.createElement("li");
      item.dataset.status = r.status;
      item.textContent = label(r.kind, r.at) + " — " + r.receipt + " — " + T(camel("status_" + r.status));
      return item;
    }));
    const queue = await all("queue");
    const status = document.getElementById("sync-status");
    const refused = queue.filter((q) => q.refused);
    status.textContent = queue.length ? T("waiting") + " " + queue.length + (refused.length ? " · " + T("refused") + " " + refused.map((q) => q.refused).join("; ") : "") : "";
    const registrations = [...drafts.filter((d) => d.kind === "registration").map((d) => ({ id: d.id, at: d.created })),
      ...queue.filter((q) => q.kind === "registration").map((q) => ({ id: q.id, at: q.at })),
      ...receipts.filter((r) => r.kind === "registration" && r.status === "applied").map((r) => ({ id: r.id, at: r.at }))];
    for (const select of document.querySelectorAll("select[name=registration]")) {
      const keep = select.value;
      select.replaceChildren(select.options[0], ...registrations.map((r) => {
        const option = document.createElement("option");
        option.value = r.id; option.textContent = label("registration", r.at);
        return option;
      }));
      select.value = registrations.some((r) => r.id === keep) ? keep : "";
    }
  }

  function formValues(form) {
    const values = {};
    for (const element of form.elements) {
      if (!element.name || element.closest("[hidden]")) continue;
      if (element.type === "checkbox") {
        if (element.name === "may_be_child") values.may_be_child = element.checked;
        else if (element.checked) (values[element.name] = values[element.name] || []).push(element.value);
      } else values[element.name] = element.value;
    }
    return values;
  }
  function fillForm(form, values) {
    form.reset();
    for (const element of form.elements) {
      if (!element.name) continue;
      if (element.type === "checkbox") {
        element.checked = element.name === "may_be_child" ? !!values.may_be_child : (values[element.name] || []).includes(element.value);
      } else if (values[element.name] !== undefined) element.value = values[element.name];
    }
    childToggle();
  }
  async function newDraft(kind) {
    openDraft = { id: crypto.randomUUID(), kind, created: Date.now() };
    await renderLists();
    const form = document.getElementById(kind + "-form");
    form.reset();
    const now = new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString();
    form.querySelectorAll("[data-today]").forEach((input) => { input.value = now.slice(0, 10); });
    form.querySelectorAll("[data-now]").forEach((input) => { input.value = now.slice(0, 16); });
    childToggle();
    form.querySelector("[data-errors]").textContent = "";
    show(kind);
  }
  async function editDraft(id) {
    const draft = await get("drafts", id);
    openDraft = { id: draft.id, kind: draft.kind, created: draft.created };
    const form = document.getElementById(draft.kind + "-form");
    await renderLists();
    fillForm(form, JSON.parse(await openBox(pinKey, draft.box, "draft|" + draft.id)));
    show(draft.kind);
  }
  let saveTimer = null;
  function scheduleSave(form) {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => saveDraft(form), 300);
  }
  async function saveDraft(form) {
    if (!openDraft || !pinKey) return;
    const box = await lockBox(pinKey, JSON.stringify(formValues(form)), "draft|" + openDraft.id);
    await put("drafts", { ...openDraft, box });
  }

  function registrationData(values) {
    return {
      person: { given_names: values.given_names.trim(), family_name: values.family_name.trim(), sex: values.sex,
        birth_date: values.birth_date || null, birth_precision: values.birth_precision,
        citizenships: values.citizenship ? [values.citizenship] : [] },
      case: { handling_code: values.handling_code, summary: values.summary.trim() },
      exploitation: { forms: values.forms || [] },
    };
  }
  // Whom a screening or a contact note is about: a registration on this device or a case.
  function targetData(values) {
    return { registration: values.registration || null, case_reference: values.case_reference.trim(),
      person_id: values.person_id.trim() ? Number(values.person_id.trim()) : null };
  }
  function screeningData(values) {
    return { ...targetData(values), may_be_child: !!values.may_be_child, indicators: values.indicators || [],
      notes: values.notes.trim() };
  }
  function contactData(values) {
    return { ...targetData(values), contacted_on: values.contacted_on || null, mode: values.mode,
      narrative: values.narrative.trim() };
  }
  function fieldReportData(values) {
    return { municipality: values.municipality, place: values.place.trim(),
      seen_at: values.seen_at ? new Date(values.seen_at).toISOString() : null, occurred: values.occurred,
      affected: values.affected, urgency: values.urgency, text: values.text.trim(),
      language: document.documentElement.lang || "en" };
  }
  const DATA = { registration: registrationData, screening: screeningData, contact_note: contactData,
    field_report: fieldReportData };
  const missing = (...texts) => texts.some((text) => !String(text || "").trim());
  function problems(kind, values) {
    const found = [];
    if (kind === "registration") {
      if (missing(values.given_names, values.family_name)) found.push(T("required"));
      if (!(values.forms || []).length) found.push(T("oneForm"));
    } else if (kind === "field_report") {
      if (missing(values.municipality, values.seen_at, values.text)) found.push(T("required"));
    } else {
      if (!values.registration === !values.case_reference.trim()) found.push(T("oneTarget"));
      if (kind === "screening" && !(values.indicators || []).length) found.push(T("oneIndicator"));
      if (kind === "contact_note" && missing(values.contacted_on, values.narrative)) found.push(T("required"));
    }
    return found;
  }

  async function seal(event) {
    event.preventDefault();
    const form = event.target, kind = openDraft.kind, values = formValues(form);
    const errors = problems(kind, values);
    form.querySelector("[data-errors]").textContent = errors.join(" ");
    if (errors.length) return;
    clearTimeout(saveTimer);
    const meta = await get("meta", "device");
    const content = { content_id: openDraft.id, kind, captured_at: new Date(openDraft.created).toISOString(),
      data: DATA[kind](values) };
    const sealed = await sealForNode(meta, openDraft.id, kind, JSON.stringify(content));
    await put("queue", { id: openDraft.id, kind, at: openDraft.created, key: crypto.randomUUID(),
      body: JSON.stringify({ content_id: openDraft.id, kind, sealed }) });
    await del("drafts", openDraft.id);
    openDraft = null;
    form.reset();
    await renderLists();
    show("main");
    document.getElementById("sync-status").textContent = T("queued");
    if (navigator.onLine) sync();
  }

  // ---- Sync
  async function sync() {
    if (syncing || !navigator.onLine) return;
    syncing = true;
    const status = document.getElementById("sync-status"), progress = document.getElementById("sync-progress");
    try {
      const queue = (await all("queue")).filter((q) => !q.refused).sort((a, b) => a.at - b.at);
      if (!queue.length) return;
      const device = await fetchDevice();
      if (device.refused) { status.textContent = T("logIn"); return; }
      const meta = await get("meta", "device");
      if (meta) { meta.expires_at = Date.now() + device.offline_hours * 3600 * 1000; await put("meta", meta); }
      progress.hidden = false; progress.max = queue.length; progress.value = 0;
      for (const [index, item] of queue.entries()) {
        status.textContent = T("sending") + " " + (index + 1) + " " + T("of") + " " + queue.length;
        const response = await fetch(main.dataset.submit, { method: "POST", credentials: "same-origin", body: item.body,
          headers: { "Content-Type": "application/json", Accept: "application/json", "Idempotency-Key": item.key, "X-CSRFToken": device.csrf_token } });
        if (response.status === 401 || response.status === 403) { status.textContent = T("logIn"); return; }
        if (response.status === 422) {
          const answer = await response.json();
          item.refused = (answer.detail || []).map((d) => d.msg).join(" ") || String(response.status);
          await put("queue", item);
          continue;
        }
        if (!response.ok) throw new Error("submit " + response.status);
        const receipt = await response.json();
        await put("receipts", { id: item.id, kind: item.kind, at: item.at, status: receipt.status, receipt: receipt.receipt });
        await del("queue", item.id);
        progress.value = index + 1;
      }
      status.textContent = T("sent");
    } catch (error) {
      status.textContent = T("offline");
    } finally {
      syncing = false;
      progress.hidden = true;
      if (pinKey) await renderLists();
    }
  }

  function childToggle() {
    const child = document.getElementById("s-child").checked;
    document.querySelector("[data-set=adult]").hidden = child;
    document.querySelector("[data-set=child]").hidden = !child;
  }

  // ---- Wiring
  document.getElementById("setup-form").addEventListener("submit", setup);
  document.getElementById("unlock-form").addEventListener("submit", unlock);
  KINDS.forEach((kind) => document.getElementById("new-" + kind).addEventListener("click", () => newDraft(kind)));
  document.getElementById("sync-now").addEventListener("click", sync);
  document.getElementById("lock-now").addEventListener("click", () => lock(T("locked")));
  document.getElementById("s-child").addEventListener("change", childToggle);
  for (const form of document.querySelectorAll(".field-form")) {
    form.addEventListener("input", () => scheduleSave(form));
    form.addEventListener("submit", seal);
    form.querySelector("[data-close]").addEventListener("click", async () => {
      clearTimeout(saveTimer); await saveDraft(form); openDraft = null; form.reset(); await renderLists(); show("main");
    });
  }
  ["click", "keydown", "input"].forEach((name) => document.addEventListener(name, touch, { passive: true }));
  window.addEventListener("online", () => { netState(); if (pinKey) sync(); });
  window.addEventListener("offline", netState);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(main.dataset.sw, { scope: main.dataset.scope }).catch(() => {});
  }
  start();
})();
