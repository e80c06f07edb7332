"""Keep identity data out of logs and error reports.

Names travel in query strings (``/persons/?q=…``, ``/api/v1/persons?name=…``) and in form
posts (registration, person edit). Django attaches the whole request to the records of
``django.request`` and ``django.security.*``, ``runserver`` logs the request line with its
query string, and an error report (an e-mail to ``ADMINS``, or the debug page) lists GET and
POST parameters, request headers and the local variables of every frame. So:

* :class:`RedactRequestData`, a logging filter on those loggers and on the console handler,
  cuts query strings out of the message and its arguments and drops the request object;
* :class:`RedactingExceptionReporterFilter` (``DEFAULT_EXCEPTION_REPORTER_FILTER``) hides
  every POST parameter, every frame variable and the headers that carry a URL or a purpose;
* :class:`RedactingExceptionReporter` (``DEFAULT_EXCEPTION_REPORTER``) hides GET parameters,
  file names and the query string of the request URL.

They are always active, whatever ``DEBUG`` says: a node holds real victims' data.
"""

import logging
import re

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

REDACTED = "[redacted]"
_QUERY = re.compile(r"\?[^\s\"']*")
# Request headers that can carry a URL with a query string, or free text about a person.
_HIDDEN_META = re.compile(
    r"^(QUERY_STRING|REQUEST_URI|RAW_URI|HTTP_REFERER|HTTP_X_PURPOSE|HTTP_HX_CURRENT_URL|"
    r"HTTP_HX_PROMPT|HTTP_AUTHORIZATION|HTTP_COOKIE)$")


def strip_query(text: str) -> str:
    """``text`` with every ``?query`` of a URL or request line replaced by ``?[redacted]``."""
    return _QUERY.sub("?" + REDACTED, text)


class RedactRequestData(logging.Filter):
    """Remove query strings and the attached request from a log record (never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_crossroads_redacted", False):
            return True
        if isinstance(record.msg, str):
            record.msg = strip_query(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(strip_query(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: strip_query(v) if isinstance(v, str) else v
                           for k, v in record.args.items()}
        if getattr(record, "request", None) is not None:
            # The request's repr, GET, POST and META all carry what the user typed.
            record.request = None
        record._crossroads_redacted = True
        return True


class RedactingExceptionReporterFilter(SafeExceptionReporterFilter):
    """Hide all POST parameters, frame variables and URL-bearing headers, even with DEBUG."""

    def is_active(self, request):
        return True

    def get_post_parameters(self, request):
        if request is None:
            return {}
        cleansed = request.POST.copy()
        for key in cleansed:
            cleansed.setlist(key, [self.cleansed_substitute])
        return cleansed

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        return {k: self.cleansed_substitute if _HIDDEN_META.match(k) else v for k, v in meta.items()}

    def get_traceback_frame_variables(self, request, tb_frame):
        # Any local variable may hold a person, a form or a payload.
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]


class RedactingExceptionReporter(ExceptionReporter):
    """Django's report without GET parameters, uploaded file names or the query string."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        substitute = self.filter.cleansed_substitute
        if self.request is not None:
            data["request_GET_items"] = [(k, substitute) for k in self.request.GET]
            data["request_FILES_items"] = [(k, substitute) for k in self.request.FILES]
            data["request_insecure_uri"] = strip_query(data.get("request_insecure_uri") or "")
        return data
