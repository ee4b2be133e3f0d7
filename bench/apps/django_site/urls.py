"""The one route of the benchmark's Django page, at the same path as bench/apps/framework_site.ts."""
from django.shortcuts import render
from django.urls import path

ENTRIES = [{"name": f"Guest {i}", "message": f"Message number {i} <escaped>"} for i in range(10)]


def page(request):
    return render(request, "page.html", {"entries": ENTRIES})


urlpatterns = [path("bench/page/", page, name="page")]
