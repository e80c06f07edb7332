"""What a locked-out caller sees (django-axes' AXES_LOCKOUT_CALLABLE)."""

from django.http import JsonResponse
from django.shortcuts import render


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Too many failed attempts; try again later."}, status=429)
    return render(request, "access/locked_out.html", status=429)
