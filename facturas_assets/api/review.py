"""The review pages: a person checks, corrects and clears what the machine was unsure of.

GET  /review/login        the login form (public); POST sets the session cookies
GET  /review              the queue, oldest first
GET  /review/{sha256}     one invoice: page image with the fields boxed, editable fields and lines
GET  /review/{sha256}/page.png
POST /review/{sha256}     Confirm (as loaded) or Save (the corrections); both clear the review
"""

from __future__ import annotations

import hmac
import logging
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePosixPath
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Engine

from facturas_assets.api import review_html
from facturas_assets.api.auth import bearer_credentials
from facturas_assets.api.review_image import NoPageImage, field_boxes, page_png
from facturas_assets.api.session import (
    LOGIN_PATH,
    REVIEW_PREFIX,
    REVIEWER_COOKIE,
    SESSION_SECONDS,
    TOKEN_COOKIE,
    csrf_ok,
    csrf_token,
)
from facturas_assets.db import review as db_review
from facturas_assets.db.load import utc_now
from facturas_assets.db.rows import RowError
from facturas_assets.documents.model import ReadDocument
from facturas_assets.pipeline.archive import CATEGORY_FOLDERS
from facturas_assets.pipeline.keys import extension, raw_key
from facturas_assets.pipeline.reading import stored_outcome
from facturas_assets.resources.drive import DriveResource
from facturas_assets.resources.object_store import ObjectNotFoundError, ObjectStore

log = logging.getLogger(__name__)

SHA256_PATTERN = r"^[0-9a-f]{64}$"
Sha256 = Annotated[str, Path(pattern=SHA256_PATTERN, description="The invoice's sha256.")]

router = APIRouter(prefix=REVIEW_PREFIX, include_in_schema=False)


@dataclass
class ReviewServices:
    """What the review pages use: the database (engine made on first use), raw zone and Drive."""

    make_engine: Callable[[], Engine]
    store: ObjectStore  # the landing bucket, whose raw/ zone holds every original
    drive: DriveResource  # the archive: histórico + category folders

    @classmethod
    def from_resources(cls, resources: dict[str, Any]) -> ReviewServices:
        """From the resources the assets use (build_resources)."""
        return cls(resources["database"].engine, resources["landing_store"], resources["drive"])

    @cached_property
    def engine(self) -> Engine:
        """The `textil` database."""
        return self.make_engine()


def _services(request: Request) -> ReviewServices:
    return request.app.state.review


def _session_token(request: Request) -> str:
    """The token this request was let in with (header, else the session cookie)."""
    return bearer_credentials(request.headers.get("authorization")) or request.cookies.get(
        TOKEN_COOKIE, ""
    )


def _html(body: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(
        body,
        status_code=status_code,
        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"},
    )


async def _form(request: Request) -> dict[str, str]:
    """An urlencoded form body as field -> last value."""
    parsed = parse_qs((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[-1] for k, v in parsed.items()}


@router.get("/login")
async def login_form() -> HTMLResponse:
    """The login form."""
    return _html(review_html.login_page())


@router.post("/login")
async def login(request: Request) -> Response:
    """Check the token; on success set the HttpOnly, SameSite=Strict session cookies."""
    form = await _form(request)
    token, reviewer = form.get("token", "").strip(), form.get("reviewer", "").strip()
    expected = await run_in_threadpool(request.app.state.tokens.current)
    if not token or not hmac.compare_digest(token.encode(), expected.encode()):
        return _html(review_html.login_page("Token no válido."), 401)
    if not reviewer or len(reviewer) > db_review.REVIEWER_LENGTH:
        return _html(review_html.login_page("Indique su nombre."), 400)
    response = RedirectResponse(REVIEW_PREFIX, status_code=303)
    secure = request.url.scheme == "https"
    for name, value in ((TOKEN_COOKIE, token), (REVIEWER_COOKIE, reviewer)):
        response.set_cookie(
            name,
            value,
            max_age=SESSION_SECONDS,
            path=REVIEW_PREFIX,
            httponly=True,
            samesite="strict",
            secure=secure,
        )
    return response


@router.post("/logout")
async def logout() -> Response:
    """Forget the session cookies."""
    response = RedirectResponse(LOGIN_PATH, status_code=303)
    for name in (TOKEN_COOKIE, REVIEWER_COOKIE):
        response.delete_cookie(name, path=REVIEW_PREFIX)
    return response


@router.get("")
def queue(request: Request) -> HTMLResponse:
    """The open reviews, oldest first."""
    items = db_review.pending_reviews(_services(request).engine)
    reviewer = request.cookies.get(REVIEWER_COOKIE, "")
    return _html(review_html.queue_page(items, utc_now(), reviewer))


def _read_result(services: ReviewServices, item: dict[str, Any]) -> ReadDocument | None:
    outcome = stored_outcome(services.store, item["sha256"], item["source_key"])
    return outcome if isinstance(outcome, ReadDocument) else None


def _show(request: Request, sha256: str, error: str | None = None, status: int = 200) -> Response:
    try:
        item = db_review.review_item(_services(request).engine, sha256)
    except db_review.ReviewNotFound as exc:
        return _html(f"<p>{exc}</p><p><a href='/review'>Volver</a></p>", 404)
    has_image = extension(item["source_key"]) != ".xml"
    csrf = csrf_token(_session_token(request))
    return _html(review_html.invoice_page(item, csrf, has_image, error), status)


@router.get("/{sha256}")
def invoice(request: Request, sha256: Sha256) -> Response:
    """One invoice under review."""
    return _show(request, sha256)


@router.get("/{sha256}/page.png")
def page_image(request: Request, sha256: Sha256) -> Response:
    """The original's first page with the boxes of the fields found among its words."""
    services = _services(request)
    try:
        item = db_review.review_item(services.engine, sha256)
        original = services.store.read_bytes(raw_key(sha256, item["source_key"]))
    except (db_review.ReviewNotFound, ObjectNotFoundError) as exc:
        return Response(str(exc), status_code=404, media_type="text/plain")
    read = _read_result(services, item)
    width = read.pages[0].width if read and read.pages else None
    try:
        png = page_png(original, extension(item["source_key"]), field_boxes(read, item), width)
    except NoPageImage as exc:
        return Response(str(exc), status_code=404, media_type="text/plain")
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


def _corrections(form: dict[str, str]) -> tuple[dict[str, str | None], list[dict[str, str]]]:
    """The header fields and lines of the posted form (blank = no value)."""
    fields = {
        name: (form[name].strip() or None) for name in db_review.EDITABLE_FIELDS if name in form
    }
    numbers = sorted(
        {int(k.split("-")[1]) for k in form if k.startswith("line-") and k.split("-")[1].isdigit()}
    )
    lines = [
        {name: form.get(f"line-{n}-{name}", "").strip() for name in db_review.LINE_FIELDS}
        for n in numbers
    ]
    return fields, lines


def _move_in_drive(
    services: ReviewServices, item: dict[str, Any], before: str, category: str
) -> None:
    """Move the original from its old category folder to the new one; record the new copy."""
    name = PurePosixPath(item["source_key"]).name
    data = services.store.read_bytes(raw_key(item["sha256"], item["source_key"]))
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    copy = services.drive.upload(CATEGORY_FOLDERS[category], name, data, mime, item["sha256"])
    db_review.set_category_file_id(services.engine, item["sha256"], copy.id)
    # Removed only once the new copy is recorded: a failure leaves two copies, never none.
    services.drive.remove(CATEGORY_FOLDERS[before], item["sha256"])


def _save(request: Request, sha256: str, form: dict[str, str]) -> Response:
    services = _services(request)
    reviewer = request.cookies.get(REVIEWER_COOKIE) or form.get("reviewer", "")
    action = form.get("action", "save")
    fields, lines = _corrections(form) if action == "save" else ({}, None)
    category = form.get("category") if action == "save" else None
    try:
        item = db_review.review_item(services.engine, sha256)
        saved = db_review.save_review(
            services.engine,
            sha256,
            reviewer=reviewer,
            fields=fields,
            lines=lines,
            category=category,
        )
    except db_review.ReviewNotFound as exc:
        return _html(f"<p>{exc}</p><p><a href='/review'>Volver</a></p>", 404)
    except RowError as exc:
        return _show(request, sha256, f"No guardado: {exc}", 422)
    if saved.category_after != saved.category_before:
        _move_in_drive(services, item, saved.category_before, saved.category_after)
    log.info("review of %s cleared by %s: %d corrections", sha256[:12], reviewer, saved.corrections)
    return RedirectResponse(REVIEW_PREFIX, status_code=303)


@router.post("/{sha256}")
async def save(request: Request, sha256: Sha256) -> Response:
    """Confirm or save the reviewer's corrections (CSRF-checked) and clear the review."""
    form = await _form(request)
    if not csrf_ok(_session_token(request), form.get("csrf")):
        return _html("<p>Formulario caducado: vuelva a abrir la factura.</p>", 403)
    return await run_in_threadpool(_save, request, sha256, form)
