"""Purpose of access on pages: the person pages and the name search open identities only with
a purpose (`registry.purpose`): one they carry (a case, a break-glass grant, oversight), or one
the reader states on the purpose form, which then holds for that object for a while."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from crossroads.pages import apply_service_errors, page_view
from crossroads.registry import purpose
from crossroads.registry.forms import PurposeForm

# The pages that ask, by URL name: the object their purpose is stated for.
_ASKING = {
    "person-page": lambda kwargs: f"registry.person:{kwargs['person_id']}",
    "person-edit": lambda kwargs: f"registry.person:{kwargs['person_id']}",
    "person-vulnerability": lambda kwargs: f"registry.person:{kwargs['person_id']}",
    "person-search": lambda kwargs: "registry.search",
}


def _key_of(path: str) -> str | None:
    try:
        match = resolve(path.split("?", 1)[0])
    except Resolver404:
        return None
    key = _ASKING.get(match.url_name)
    return key(match.kwargs) if key else None


def person_purpose(request, person_id: int) -> str:
    """The purpose the person page of `person_id` is opened for, or "" when the reader must
    state one: carried (break-glass, from the case page's link `?case=`, oversight), or stated
    earlier in this session. A purpose carried from a case holds for the person's other pages
    (the edit form) as a stated one does."""
    key = f"registry.person:{person_id}"
    carried = purpose.for_person(request.user, person_id, request.GET.get("case"))
    if carried:
        if request.GET.get("case"):
            purpose.remember(request.session, key, carried)
        return carried
    return purpose.remembered(request.session, key)


def search_purpose(request) -> str:
    return purpose.default(request.user) or purpose.remembered(request.session, "registry.search")


def ask(request, form=None, status=200, *, then: str = ""):
    """The purpose form instead of the page (`then`, by default this one): nothing of the
    object is read or shown."""
    form = form or PurposeForm(initial={"next": then or request.get_full_path()})
    return render(request, "registry/purpose.html", {
        "form": form, "purpose_minutes": settings.CROSSROADS_PURPOSE_MINUTES}, status=status)


@page_view
def purpose_page(request):
    """State a purpose for the page in `next`, then open it."""
    if request.method != "POST":
        raise Http404
    form = PurposeForm(request.POST)
    if form.is_valid():
        target = form.cleaned_data["next"]
        key = (_key_of(target) if url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
            and target.startswith("/") else None)
        if key is None:
            raise Http404
        try:
            value = purpose.state(request.user, form.cleaned_data["kind"],
                                  form.cleaned_data["case_reference"], form.cleaned_data["text"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            purpose.remember(request.session, key, value)
            return redirect(target)
    return ask(request, form, status=422)
