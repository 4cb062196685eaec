"""Object level: startup B's owner reaches no object or file of startup A, and changes nothing.

Every URL that names one of A's objects is tried by B's owner with each method, the POST
with a body that would do the write if the view let it through; each answer is a 404 (or
405 where the view does not serve the method at all), and afterwards every row of every
table is as it was.
"""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from tests.authz.matrix import finish

pytestmark = pytest.mark.django_db

STEPS = ("company", "patents", "financing", "certifications", "documents", "review")


def a_objects(w):
    """Return (label, url, methods served, POST body) for every URL naming an object of A."""
    both, get, post = ("GET", "POST"), ("GET",), ("POST",)
    urls = [
        ("application", reverse("programs:application-detail", args=[w.application.pk]), get, {}),
        ("draft", reverse("programs:application-detail", args=[w.draft.pk]), get, {}),
        ("resume", reverse("programs:application-resume", args=[w.draft.pk]), get, {}),
        ("document", reverse("companies:document-download", args=[w.document.pk]), get, {}),
        (
            "milestone done",
            reverse("programs:milestone-done", args=[w.milestone_open.pk]),
            post,
            {"evidence": "Done by B."},
        ),
        (
            "milestone evidence",
            reverse("programs:milestone-evidence", args=[w.milestone_done.pk]),
            get,
            {},
        ),
        (
            "request",
            reverse("programs:request-detail", args=[w.service_request.pk]),
            both,
            {"body": "B writes in A's thread."},
        ),
        ("request close", reverse("programs:request-close", args=[w.service_request.pk]), post, {}),
        (
            "request file",
            reverse("programs:request-file", args=[w.service_request.pk, w.service_message.pk]),
            get,
            {},
        ),
        ("badge", reverse("events:badge", args=[w.registration.pk]), get, {}),
        ("online badge", reverse("events:badge", args=[w.online_registration.pk]), get, {}),
        # B is not registered for the online programme: only A's registration is there.
        (
            "registration cancel",
            reverse("events:registration-cancel", args=[w.online_session.event_id]),
            post,
            {},
        ),
        (
            "meeting request answer",
            reverse("events:meeting-request-respond", args=[w.meeting_request.pk]),
            post,
            {"answer": "accept"},
        ),
        (
            "judge's sheet",
            reverse("events:judging-score", args=[w.assignment.pk]),
            both,
            {f"score_{c.pk}": "1" for c in w.criteria} | {"action": "submit"},
        ),
    ]
    urls += [
        (
            "listing edit",
            reverse("companies:listing-edit", args=[w.listing_draft.pk]),
            both,
            {"title_en": "B's words", "offers_license": "on", "sector": "ai"},
        ),
        (
            "listing submit",
            reverse("companies:listing-submit", args=[w.listing_draft.pk]),
            post,
            {},
        ),
        ("listing withdraw", reverse("companies:listing-withdraw", args=[w.listing.pk]), post, {}),
        (
            "inquiry answer",
            reverse("companies:inquiry-detail", args=[w.inquiry.pk]),
            both,
            {"decision": "accept", "answer": "B answers for A."},
        ),
    ]
    for application in (w.application, w.draft):
        for step in STEPS:
            urls.append(
                (
                    f"{step} step of {application.status}",
                    reverse("programs:application-step", args=[application.pk, step]),
                    both,
                    {"action": "continue", "market_fit": "B's words", "name_ko": "B"},
                )
            )
    evidence = {
        "patent": w.patent,
        "funding": w.funding_round,
        "market": w.market_validation,
        "certification": w.certification,
        "document": w.document,
    }
    for kind, item in evidence.items():
        urls.append(
            (
                f"{kind} delete",
                reverse("programs:evidence-delete", args=[w.draft.pk, kind, item.pk]),
                post,
                {},
            )
        )
    return urls


def snapshot():
    """Return every row of every table, by model."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
    }


def test_startup_b_gets_404_for_every_object_and_file_of_a_and_changes_nothing(world):
    client = Client()
    client.force_login(world.owner_b)
    before = snapshot()
    wrong = []
    for label, url, served, body in a_objects(world):
        for method in ("GET", "POST"):
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, body)
            finish(response)
            expected = 404 if method in served else 405
            if response.status_code != expected:
                wrong.append(
                    f"{label} {method} {url}: expected {expected}, got {response.status_code}"
                )
    after = snapshot()
    wrong += [f"rows of {label} changed" for label in before if before[label] != after[label]]
    assert not wrong, "\n".join(wrong)


def test_the_snapshot_sees_a_change_of_one_field_of_a(world):
    # The comparison above would pass on any snapshot that misses an update.
    before = snapshot()
    world.patent.title = "Changed"
    world.patent.save(update_fields=["title"])
    after = snapshot()
    assert [label for label in before if before[label] != after[label]] == ["companies.Patent"]


def test_owner_a_reaches_the_same_urls(world):
    # The URLs are right: A's own owner gets the pages B is refused (no 404 at all).
    client = Client()
    client.force_login(world.owner_a)
    missing = []
    for label, url, served, _body in a_objects(world):
        if "GET" not in served or label == "judge's sheet":
            continue  # the judge's sheet is the judge's; POST-only pages are writes
        response = client.get(url)
        finish(response)
        if response.status_code == 404:
            missing.append(f"{label} {url}")
    assert not missing, "\n".join(missing)
