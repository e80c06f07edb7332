"""Helpers of the browser tests: log-in, axe-core, overflow at narrow widths, screenshots."""

import base64
import hashlib
import hmac
import os
import time
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def totp(secret: str, at: float | None = None) -> str:
    """The six-digit RFC 6238 code (SHA-1, 30 s) of a base32 secret, as an authenticator app shows."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    mac = hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return f"{(int.from_bytes(mac[offset:offset + 4], 'big') & 0x7FFFFFFF) % 1_000_000:06d}"


def _second_factor(page, secret: str, patience: float = 75) -> None:
    """Enter codes until one is taken. A code is accepted once (a test logs the same user in
    several times), the next window's code is accepted too, and after each refusal django-otp
    makes the next try wait (1 s, then twice as long): try this window's code, then the next
    one's, and when both were used wait for a new window."""
    tried, refusals, give_up = set(), 0, time.time() + patience
    while time.time() < give_up:
        now = int(time.time() // 30)
        window = next((w for w in (now, now + 1) if w not in tried), None)
        if window is None:
            time.sleep(30 - time.time() % 30 + 0.2)
            continue
        tried.add(window)
        page.fill("#id_token", totp(secret, window * 30))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        if "/mfa/" not in page.url:
            return
        refusals += 1
        time.sleep(2 ** (refusals - 1) + 0.2)


def log_in(page, login: dict, on_second_factor=None) -> None:
    """Password, then the authenticator code; `on_second_factor(page)` runs on that page."""
    if not page.url.split("?")[0].endswith("/login/"):
        page.goto("/login/")
    page.fill("#id_username", login["username"])
    page.fill("#id_password", login["password"])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    if "/mfa/verify/" in page.url:
        if on_second_factor:
            on_second_factor(page)
        _second_factor(page, login["totp_secret"])
    assert "/login/" not in page.url and "/mfa/" not in page.url, f"log-in failed: {page.url}"


def run_axe(page) -> list[dict]:
    """Run axe-core (WCAG 2 A and AA rules) on the page; return the serious and critical violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's Content-Security-Policy stays on.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary)}));
    }""")
    return [v for v in result if v["impact"] in {"serious", "critical"}]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"][:5])
                     for v in violations)


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def screenshot(page, name: str, full_page: bool = False) -> None:
    """Save DIR/name.png when CROSSROADS_SCREENSHOTS=DIR is set (`make screenshots`)."""
    folder = os.environ.get("CROSSROADS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), animations="disabled",
                        full_page=full_page, caret="hide")


FOCUSED = """() => {
    const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
    return {tag: el.tagName.toLowerCase(), id: el.id, type: el.getAttribute('type') || '',
            text: (el.innerText || el.value || '').trim().slice(0, 40),
            outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
            on_screen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
                       && box.left < window.innerWidth};
}"""


def focused(page) -> dict:
    """The element that has the keyboard focus, and whether its focus indicator is visible."""
    return page.evaluate(FOCUSED)


def tab_until(page, selector: str, act=None, limit: int = 150) -> list[dict]:
    """Press Tab until the element matching `selector` has the focus; every stop on the way must
    show a visible focus indicator. `act(stop)` may type at each stop. Returns the stops."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = focused(page)
        assert stop["tag"] != "body", f"focus lost after {stops[-1:]}"
        assert stop["outline"] and stop["on_screen"], f"focus not visible on {stop}"
        stops.append(stop)
        if act:
            act(stop)
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return stops
    raise AssertionError(f"{selector} not reached with Tab; stops: {stops}")


def submit(page, form) -> None:
    """Click the form's (first) submit button and wait for the page it leads to."""
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def checked(page, name: str) -> None:
    """No serious axe violation on the page; a full-page screenshot named `en-<name>`."""
    violations = run_axe(page)
    assert not violations, f"{name}:\n{describe(violations)}"
    screenshot(page, f"en-{name}", full_page=True)
