"""The access report as a PDF (WeasyPrint, imported here only: it is slow to load). Fonts: DejaVu
Sans, which has Cyrillic."""

from django.template.loader import render_to_string


def pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf()
