"""The review pages end to end in headless Chromium: log in, open the queue and an invoice,
correct its total and category, save; MariaDB holds the corrected row and the audit rows."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from facturas_assets.db.tables import invoices, review_corrections, review_queue
from facturas_assets.resources.drive import DriveResource
from facturas_assets.resources.object_store import ObjectStore
from facturas_assets_tests.api.conftest import LiveApi, load_unsure_invoice
from facturas_dev.cdp import CHROMIUM, chromium

REVIEWER = "Marta Revisora"


def _shot(page, tmp_path: Path, name: str) -> None:
    path = page.screenshot(tmp_path / name)
    assert path.stat().st_size > 5_000, f"{name} is an empty page"
    print(f"screenshot: {path}")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_a_reviewer_corrects_a_total_in_the_browser(
    live_api: LiveApi,
    review_engine: Engine,
    raw_store: ObjectStore,
    fake_drive: DriveResource,
    tmp_path: Path,
) -> None:
    sha = load_unsure_invoice(review_engine, raw_store, fake_drive, probability=0.55)
    with review_engine.connect() as conn:
        loaded = conn.execute(sa.select(invoices).where(invoices.c.sha256 == sha)).one()
    assert loaded.status == "pending_review"
    corrected = loaded.total + Decimal("10.00")

    with chromium(tmp_path / "profile") as page:
        page.navigate(f"{live_api.url}/review")
        assert page.url().endswith("/review/login"), "no session: the login form"
        _shot(page, tmp_path, "1-login.png")
        page.fill("#reviewer", REVIEWER)
        page.fill("#token", live_api.token)
        page.click_and_wait("#login")

        assert page.url().endswith("/review")
        assert "unsure_category" in page.text()
        _shot(page, tmp_path, "2-queue.png")
        page.click_and_wait(f"a[href='/review/{sha}']")

        assert page.evaluate("document.querySelector('#page').naturalWidth") > 300
        assert page.evaluate("document.querySelector('#f-total').value") == str(loaded.total)
        _shot(page, tmp_path, "3-invoice.png")
        page.fill("#f-total", str(corrected))
        page.fill("#f-category", "correctiva")
        page.click_and_wait("#save")

        assert page.url().endswith("/review")
        assert "Nada pendiente" in page.text()
        _shot(page, tmp_path, "4-queue-cleared.png")

    with review_engine.connect() as conn:
        row = conn.execute(sa.select(invoices).where(invoices.c.sha256 == sha)).one()
        audit = conn.execute(
            sa.select(review_corrections).where(review_corrections.c.sha256 == sha)
        ).all()
        queued = conn.execute(sa.select(review_queue).where(review_queue.c.sha256 == sha)).one()
    assert (row.total, row.category, row.status) == (corrected, "correctiva", "loaded")
    changes = {a.field: (a.original_value, a.corrected_value, a.corrected_by) for a in audit}
    assert changes == {
        "total": (str(loaded.total), str(corrected), REVIEWER),
        "category": ("preventiva", "correctiva", REVIEWER),
    }
    assert queued.reviewed_by == REVIEWER and queued.reviewed_at is not None
    # The original now sits in the new category folder, and the row points at that copy.
    copies = {f.id for f in fake_drive.list_files("correctivos") if f.sha256 == sha}
    assert row.drive_category_file_id in copies
    assert all(f.sha256 != sha for f in fake_drive.list_files("preventivos"))
    assert any(f.sha256 == sha for f in fake_drive.list_files("histórico"))


def test_the_cookie_opens_the_review_pages_only(live_api: LiveApi) -> None:
    cookies = {"facturas_session": live_api.token}
    with httpx.Client(base_url=live_api.url, cookies=cookies, follow_redirects=False) as client:
        assert client.get("/review").status_code == 200
        # The JSON API still wants its header: a cookie alone is not enough there.
        run = "/runs/00000000-0000-0000-0000-000000000000"
        assert client.get(run).status_code == 401
    with httpx.Client(base_url=live_api.url, follow_redirects=False) as client:
        assert client.get("/review").headers["location"] == "/review/login"
        headers = {"Authorization": f"Bearer {live_api.token}"}
        assert client.get("/review", headers=headers).status_code == 200


def test_a_post_without_the_session_csrf_token_changes_nothing(
    live_api: LiveApi, review_engine: Engine, raw_store: ObjectStore, fake_drive: DriveResource
) -> None:
    sha = load_unsure_invoice(review_engine, raw_store, fake_drive, probability=0.5)
    cookies = {"facturas_session": live_api.token, "facturas_reviewer": "x"}
    with httpx.Client(base_url=live_api.url, cookies=cookies) as client:
        answer = client.post(f"/review/{sha}", data={"action": "save", "total": "1.00"})
    assert answer.status_code == 403
    with review_engine.connect() as conn:
        assert (
            conn.execute(
                sa.select(review_queue.c.reviewed_at).where(review_queue.c.sha256 == sha)
            ).scalar_one()
            is None
        )
