"""The routes of the benchmark's Django site, at the same paths as bench/apps/framework_site.ts."""
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path

ENTRIES = [{"name": f"Guest {i}", "message": f"Message number {i} <escaped>"} for i in range(10)]
ITEMS = [{"id": i, "name": f"Item {i}", "done": i % 2 == 0} for i in range(10)]


def page(request):
    visits = request.session.get("visits", 0)
    return render(request, "page.html", {"entries": ENTRIES, "visits": visits})


def json(request):
    # Compact separators: the same bytes as JSON.stringify.
    return JsonResponse({"items": ITEMS, "count": len(ITEMS)}, json_dumps_params={"separators": (",", ":")})


urlpatterns = [path("bench/page/", page, name="page"), path("bench/json/", json, name="json")]
