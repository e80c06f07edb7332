"""Field capture with the network off (Playwright's offline mode): a case worker opens the app
at 360 px, sets a PIN, fills a registration and two screenings offline, reconnects, and the node
records each once; the same sealed submission sent again makes no second record; a screening
whose victim file changed on the node meanwhile comes back as a conflict and is resolved on the
node. A contact note and a report from the field are captured with the keyboard alone. The
browser's storage (IndexedDB, localStorage, sessionStorage, and the service worker's cache) is
read at every step and never holds a captured value."""

import json
import sqlite3

import pytest

from tests.browser.browserkit import describe, focused, horizontal_overflow, run_axe, tab_until

pytestmark = pytest.mark.browser

NARROW = {"width": 360, "height": 740}
PIN = "246813"
GIVEN, FAMILY = "Lindita", "Bajraktari"
SUMMARY = "Met at the bus station in Durrës, waiting for a van to the farms."
NOTES_1, NOTES_2, NOTES_3 = ("Documents kept by the foreman.", "Works nights at the depot.",
                             "Second talk at the depot gate.")
NARRATIVE = "Called her from the depot; she will come to the shelter on Monday."
SEEN = "Nine pickers sleep in the packing shed, the foreman keeps their passports."
PLACE = "Packing shed behind the Shkozet roundabout"
CLEAR = [GIVEN, FAMILY, SUMMARY, NOTES_1, NOTES_2, NOTES_3, NARRATIVE, SEEN, PLACE]
# Listed by the shell (indicators, forms, municipalities); the records must not hold them.
CODES = ["documents_withheld", "debt_bondage", "violence", "forced_labour", "Durrës"]

DUMP = """async () => {
  const out = {local: {...localStorage}, session: {...sessionStorage}, idb: {}, cache: []};
  for (const info of await indexedDB.databases()) {
    const db = await new Promise((ok, ko) => { const r = indexedDB.open(info.name);
      r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
    for (const name of db.objectStoreNames) {
      out.idb[info.name + "/" + name] = await new Promise((ok) => {
        const r = db.transaction(name).objectStore(name).getAll(); r.onsuccess = () => ok(r.result); });
    }
    db.close();
  }
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) out.cache.push(await (await cache.match(request)).text());
  }
  return JSON.stringify(out);
}"""


def assert_nothing_clear(page, *, extra=()):
    dump = json.loads(page.evaluate(DUMP))
    everything = json.dumps(dump, ensure_ascii=False)
    for value in [*CLEAR, *extra]:
        assert value not in everything, f"{value!r} is in the browser's storage"
    kept = json.dumps([dump["local"], dump["session"], dump["idb"]], ensure_ascii=False)
    for code in CODES:  # the shell lists the codes; the records must not
        assert code not in kept, f"{code!r} is in the browser's storage"
    assert dump["local"] == {} and dump["session"] == {}
    return dump


def _store(page, name):
    return json.loads(page.evaluate(DUMP))["idb"].get(f"crossroads-field/{name}", [])


def _existing_file(page, database):
    """A victim file of a case the case worker works on (from the home page's timers)."""
    page.goto("/")
    page.locator("main div[aria-labelledby=home-timers] a").first.click()
    page.wait_for_url("**/assistance/files/*/")
    file_id = int(page.url.rstrip("/").split("/")[-1])
    reference, person_id = database.execute(
        "SELECT c.reference, f.person_id FROM assistance_victimfile f JOIN registry_case c "
        "ON c.id = f.case_id WHERE f.id = ?", (file_id,)).fetchone()
    return reference, person_id


def _screening(page, *, notes, registration=None, reference="", person_id=None, codes=()):
    page.locator("#new-screening").click()
    if registration:
        page.select_option("#s-registration", index=1)
    else:
        page.fill("#s-case", reference)
        page.fill("#s-person", str(person_id))
    for code in codes:
        page.locator(f"[data-set=adult] input[value={code}]").check()
    page.fill("#s-notes", notes)
    page.wait_for_timeout(600)  # the draft is saved, encrypted
    assert_nothing_clear(page)
    page.locator("#screening-form button[type=submit]").click()
    page.locator("#screen-main").wait_for()


def test_offline_capture_sync_once_and_conflict(browser, node, new_page, sessions):
    database = sqlite3.connect(node.data_dir / "crossroads.sqlite3")
    reference, person_id = _existing_file(new_page(storage_state=sessions("al_case_worker")),
                                          database)
    page = new_page(viewport=NARROW, storage_state=sessions("al_case_worker"))
    context = page.context

    page.goto("/field/")
    page.locator("#setup-pin").wait_for()
    assert page.evaluate("document.querySelector('link[rel=manifest]').href").endswith(
        "/field/manifest.webmanifest")
    page.fill("#setup-pin", PIN)
    page.fill("#setup-pin2", PIN)
    page.locator("#setup-pin2").press("Enter")  # by keyboard
    page.locator("#screen-main").wait_for()
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("async () => (await caches.keys()).length > 0")
    assert horizontal_overflow(page) == 0

    screenings_before = database.execute("SELECT COUNT(*) FROM assistance_screening").fetchone()[0]
    persons_before = database.execute("SELECT COUNT(*) FROM registry_person").fetchone()[0]

    # The network goes; the app reopens from the service worker's copy, unlocks with the PIN.
    context.set_offline(True)
    page.reload()
    page.locator("#unlock-pin").wait_for()
    page.fill("#unlock-pin", PIN)
    page.locator("#unlock-pin").press("Enter")
    page.locator("#screen-main").wait_for()

    page.locator("#new-registration").click()
    page.fill("#r-given", GIVEN)
    page.fill("#r-family", FAMILY)
    page.select_option("#r-sex", "F")
    page.select_option("#r-citizenship", "AL")
    page.locator("#registration-form input[value=forced_labour]").check()
    page.fill("#r-summary", SUMMARY)
    assert horizontal_overflow(page) == 0
    violations = run_axe(page)
    assert not violations, describe(violations)
    page.wait_for_timeout(600)
    assert len(_store(page, "drafts")) == 1
    assert_nothing_clear(page)
    page.locator("#registration-form button[type=submit]").click()
    page.locator("#screen-main").wait_for()

    _screening(page, notes=NOTES_1, registration=True, codes=["documents_withheld", "debt_bondage"])
    _screening(page, notes=NOTES_2, reference=reference, person_id=person_id, codes=["violence"])
    queue = _store(page, "queue")
    assert len(queue) == 3 and not _store(page, "drafts")
    bodies = [item["body"] for item in queue]
    assert_nothing_clear(page, extra=[reference])

    # Back online: the queue is sent, the device keeps receipts only.
    context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_function("() => document.querySelectorAll('#receipt-list li').length === 3")
    statuses = page.eval_on_selector_all("#receipt-list li", "items => items.map(i => i.dataset.status)")
    assert statuses == ["applied"] * 3
    assert not _store(page, "queue") and not _store(page, "drafts")
    assert_nothing_clear(page, extra=[reference])

    count = lambda sql: database.execute(sql).fetchone()[0]  # noqa: E731
    assert count("SELECT COUNT(*) FROM field_submission") == 3
    assert count("SELECT COUNT(DISTINCT content_id) FROM field_submission") == 3
    assert count("SELECT COUNT(*) FROM assistance_screening") == screenings_before + 2
    assert count("SELECT COUNT(*) FROM registry_person") == persons_before + 1

    # The same sealed submission again, under a new key and under the first key: one record.
    replay = page.evaluate("""async ([body]) => {
      const device = await (await fetch('/api/v1/field/device')).json();
      const send = (key) => fetch('/api/v1/field/submissions', {method: 'POST', body,
        headers: {'Content-Type': 'application/json', 'Idempotency-Key': key,
                  'X-CSRFToken': device.csrf_token}});
      const a = await send(crypto.randomUUID());
      return [a.status, (await a.json()).status];
    }""", [bodies[0]])
    assert replay == [200, "applied"]
    assert count("SELECT COUNT(*) FROM field_submission") == 3
    assert count("SELECT COUNT(*) FROM registry_person") == persons_before + 1

    listing = new_page(storage_state=sessions("al_case_worker"))
    listing.goto("/field/submissions/")
    assert listing.locator("main table tbody tr").count() == 3

    # A conflict: offline, a third screening, of the registered person's case; meanwhile a
    # colleague's decision is recorded on the node. The node keeps it for the worker to decide.
    new_reference, new_person, file_id = database.execute(
        "SELECT c.reference, s.person_id, f.id FROM field_submission s JOIN registry_case c ON "
        "c.id = s.case_id JOIN assistance_victimfile f ON f.case_id = s.case_id AND "
        "f.person_id = s.person_id WHERE s.kind = 'registration'").fetchone()
    page.goto("/field/")
    page.fill("#unlock-pin", PIN)
    page.locator("#unlock-pin").press("Enter")
    page.locator("#screen-main").wait_for()
    context.set_offline(True)
    _screening(page, notes=NOTES_3, reference=new_reference, person_id=new_person,
               codes=["violence"])
    colleague = new_page(storage_state=sessions("al_case_worker"))
    colleague.goto("/field/submissions/")
    decided = colleague.evaluate("""async ([fileId]) => {
      const device = await (await fetch('/api/v1/field/device')).json();
      const r = await fetch(`/api/v1/victim-files/${fileId}/decisions`, {method: 'POST',
        headers: {'Content-Type': 'application/json', 'X-CSRFToken': device.csrf_token},
        body: JSON.stringify({status: 'presumed', reason: 'Reasonable grounds after the talk.'})});
      return r.status;
    }""", [file_id])
    assert decided == 201
    context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_function("() => document.querySelectorAll('#receipt-list li').length === 4")
    assert page.locator("#receipt-list li[data-status=conflict]").count() == 1
    assert_nothing_clear(page, extra=[reference, new_reference])
    assert count("SELECT COUNT(*) FROM assistance_screening") == screenings_before + 2

    page.goto("/field/submissions/")
    page.locator("main table a[href^='/field/submissions/']").first.click()
    assert "An identification decision was recorded" in page.locator("#problems").inner_text()
    assert NOTES_3 in page.content()  # opened on the node, for the person who decides
    page.locator("button[name=decision][value=apply]").click()
    page.locator("#submission-status").wait_for()
    assert count("SELECT COUNT(*) FROM assistance_screening") == screenings_before + 3
    assert count("SELECT status FROM field_submission ORDER BY id DESC LIMIT 1") == "applied"
    database.close()


def test_wrong_pins_wipe_the_drafts_and_other_roles_are_refused(new_page, sessions):
    page = new_page(viewport=NARROW, storage_state=sessions("al_case_worker"))
    page.goto("/field/")
    page.fill("#setup-pin", PIN)
    page.fill("#setup-pin2", PIN)
    page.locator("#setup-form button[type=submit]").click()
    page.locator("#new-registration").click()
    page.fill("#r-given", GIVEN)
    page.wait_for_timeout(600)
    assert len(_store(page, "drafts")) == 1
    page.reload()
    for _attempt in range(5):
        page.fill("#unlock-pin", "000000")
        page.locator("#unlock-form button[type=submit]").click()
        page.wait_for_timeout(150)
    page.locator("#screen-start").wait_for()
    assert "erased" in page.locator("#start-message").inner_text()
    assert not _store(page, "drafts") and not _store(page, "meta")

    other = new_page(storage_state=sessions("al_investigator"))
    assert other.goto("/field/").status == 200  # investigators do field work too
    for username in ("al_coordinator", "al_analyst"):
        refused = new_page(storage_state=sessions(username))
        assert refused.goto("/field/").status == 403


EXPIRE = """async () => {
  const db = await new Promise((ok) => { const r = indexedDB.open("crossroads-field");
    r.onsuccess = () => ok(r.result); });
  await new Promise((ok) => { const tx = db.transaction("meta", "readwrite");
    const store = tx.objectStore("meta");
    store.get("device").onsuccess = (event) => {
      const meta = event.target.result; meta.expires_at = Date.now() - 1000; store.put(meta); };
    tx.oncomplete = ok; });
  db.close();
}"""


def test_an_expired_offline_session_erases_the_drafts(new_page, sessions):
    page = new_page(viewport=NARROW, storage_state=sessions("al_investigator"))
    page.goto("/field/")
    page.fill("#setup-pin", PIN)
    page.fill("#setup-pin2", PIN)
    page.locator("#setup-form button[type=submit]").click()
    page.locator("#new-screening").click()
    page.fill("#s-notes", NOTES_1)
    page.wait_for_timeout(600)
    assert len(_store(page, "drafts")) == 1
    assert_nothing_clear(page)
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("async () => (await caches.keys()).length > 0")
    page.context.set_offline(True)
    page.evaluate(EXPIRE)
    page.reload()
    page.locator("#screen-start").wait_for()
    assert "expired" in page.locator("#start-message").inner_text()
    assert not _store(page, "drafts") and not _store(page, "meta")


def _pin_by_keyboard(page, *fields):
    """Tab to each PIN field from the screen's heading, type the PIN, Enter on the last."""
    for field in fields:
        tab_until(page, field)
        page.keyboard.type(PIN)
    page.keyboard.press("Enter")
    page.locator("#screen-main").wait_for()


def _fill_by_keyboard(page, kind, typing):
    """From the main screen: Tab to "New …", Enter, then Tab through the form, typing (or
    pressing keys) at the fields of `typing`, and Enter on "Seal for sending"."""
    tab_until(page, f"#new-{kind}")
    page.keyboard.press("Enter")
    page.locator(f"#screen-{kind}").wait_for()
    assert horizontal_overflow(page) == 0
    violations = run_axe(page)
    assert not violations, describe(violations)

    def act(stop):
        for key in typing.pop(stop["id"], ()):
            (page.keyboard.press if key in {"ArrowDown", "ArrowUp", "Space"} else
             page.keyboard.type)(key)

    tab_until(page, f"#{kind}-form button[type=submit]", act)
    assert not typing, f"not reached: {typing}"
    page.wait_for_timeout(600)  # the draft is saved, encrypted
    assert_nothing_clear(page)
    page.keyboard.press("Enter")
    page.locator("#screen-main").wait_for()
    assert focused(page)["id"] == "main-title"


def test_contact_note_and_field_report_offline_with_the_keyboard_only(node, new_page, sessions):
    database = sqlite3.connect(node.data_dir / "crossroads.sqlite3")
    reference, person_id = _existing_file(new_page(storage_state=sessions("al_case_worker")),
                                          database)
    worker = database.execute("SELECT id FROM access_user WHERE username = 'al_case_worker'")\
        .fetchone()[0]
    count = lambda sql: database.execute(sql).fetchone()[0]  # noqa: E731
    notes_before = count("SELECT COUNT(*) FROM assistance_contactnote")
    page = new_page(viewport=NARROW, storage_state=sessions("al_case_worker"))
    page.goto("/field/")
    page.locator("#setup-pin").wait_for()
    _pin_by_keyboard(page, "#setup-pin", "#setup-pin2")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("async () => (await caches.keys()).length > 0")

    # No network: the app reopens from the service worker's copy and unlocks with the PIN.
    page.context.set_offline(True)
    page.reload()
    page.locator("#unlock-pin").wait_for()
    _pin_by_keyboard(page, "#unlock-pin")
    _fill_by_keyboard(page, "contact_note", {
        "c-case": [reference], "c-person": [str(person_id)], "c-mode": ["ArrowDown"],
        "c-narrative": [NARRATIVE]})
    _fill_by_keyboard(page, "field_report", {
        "f-municipality": ["Durr"], "f-place": [PLACE], "f-affected": ["ArrowUp"],
        "f-urgency": ["ArrowUp"], "f-text": [SEEN]})
    assert len(_store(page, "queue")) == 2 and not _store(page, "drafts")
    assert_nothing_clear(page, extra=[reference])

    # The network returns: "Send now" with Space.
    page.context.set_offline(False)
    tab_until(page, "#sync-now")
    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelectorAll('#receipt-list li').length === 2")
    statuses = page.eval_on_selector_all("#receipt-list li", "items => items.map(i => i.dataset.status)")
    assert statuses == ["applied", "applied"]
    assert_nothing_clear(page, extra=[reference])

    assert count("SELECT COUNT(*) FROM assistance_contactnote") == notes_before + 1
    assert database.execute(
        "SELECT n.mode, f.person_id, n.recorded_by_id FROM assistance_contactnote n JOIN "
        "assistance_victimfile f ON f.id = n.file_id ORDER BY n.id DESC LIMIT 1").fetchone() == (
        "phone", person_id, worker)
    assert database.execute(
        "SELECT channel, municipality, affected, urgency, entered_by_id, jurisdiction_id FROM "
        "tips_report ORDER BY id DESC LIMIT 1").fetchone() == (
        "field", "Durrës", "both", "soon", worker, "AL")
    database.close()
