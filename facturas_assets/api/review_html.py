"""Server-rendered HTML of the review pages (no JavaScript): login, queue, one invoice."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from facturas_assets.db.review import EDITABLE_FIELDS, LINE_FIELDS
from facturas_assets.settings import CATEGORIES

EMPTY_LINES = 2  # blank rows under the lines, to add a line the machine missed

_STYLE = """
body{font-family:sans-serif;margin:1.5rem;color:#222}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
.page{display:flex;gap:2rem;align-items:flex-start}.page img{max-width:48vw;border:1px solid #999}
.error{color:#a00;font-weight:bold}input[type=text]{width:12rem}
"""


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang='es'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def _value(value: Any) -> str:
    return "" if value is None else escape(str(value), quote=True)


def login_page(error: str | None = None) -> str:
    """The login form: the API token and the reviewer's name."""
    message = f"<p class='error'>{escape(error)}</p>" if error else ""
    return _page(
        "Revisión de facturas: acceso",
        f"{message}<form method='post' action='/review/login'>"
        "<p><label>Nombre <input type='text' name='reviewer' id='reviewer' required></label></p>"
        "<p><label>Token <input type='password' name='token' id='token' required></label></p>"
        "<p><button type='submit' id='login'>Entrar</button></p></form>",
    )


def _age(queued_at: datetime, now: datetime) -> str:
    minutes = int((now - queued_at).total_seconds() // 60)
    return f"{minutes // 1440} d" if minutes >= 1440 else f"{minutes // 60} h {minutes % 60} min"


def queue_page(items: list[dict[str, Any]], now: datetime, reviewer: str) -> str:
    """The open reviews, oldest first."""
    if not items:
        rows = "<tr><td colspan='6'>Nada pendiente de revisión.</td></tr>"
    else:
        rows = "".join(
            "<tr>"
            f"<td><a class='review-link' href='/review/{item['sha256']}'>"
            f"{_value(item['invoice_number']) or item['sha256'][:12]}</a></td>"
            f"<td>{_value(item['seller_name'])}</td><td>{_value(item['total'])}</td>"
            f"<td>{_value(item['category'])}</td>"
            f"<td>{escape(_age(item['queued_at'], now))}</td>"
            f"<td>{'<br>'.join(escape(r) for r in item['reasons'])}</td></tr>"
            for item in items
        )
    return _page(
        "Facturas pendientes de revisión",
        f"<p>Revisor: {escape(reviewer)}</p><table id='queue'><tr><th>Factura</th>"
        "<th>Emisor</th><th>Total</th><th>Categoría</th><th>Antigüedad</th><th>Motivos</th></tr>"
        f"{rows}</table>",
    )


def _line_rows(lines: list[dict[str, Any]]) -> str:
    blanks = [dict.fromkeys(LINE_FIELDS) for _ in range(EMPTY_LINES)]
    rows = []
    for n, line in enumerate([*lines, *blanks], start=1):
        cells = "".join(
            f"<td><input type='text' name='line-{n}-{name}' value='{_value(line.get(name))}'></td>"
            for name in LINE_FIELDS
        )
        rows.append(f"<tr><td>{n}</td>{cells}</tr>")
    return "".join(rows)


def _confidence_key(name: str) -> str:
    """The InvoiceData.confidence key of a column ("seller_tax_id" -> "seller.tax_id")."""
    for party in ("seller_", "buyer_"):
        if name.startswith(party):
            return f"{party[:-1]}.{name[len(party) :]}"
    return name


def invoice_page(item: dict[str, Any], csrf: str, has_image: bool, error: str | None) -> str:
    """One invoice: its page with the fields boxed, the fields and lines editable."""
    sha = item["sha256"]
    fields = "".join(
        f"<tr><th><label for='f-{name}'>{name}</label></th><td><input type='text' "
        f"id='f-{name}' name='{name}' value='{_value(item[name])}'></td>"
        f"<td>{_value((item.get('field_confidence') or {}).get(_confidence_key(name)))}</td></tr>"
        for name in EDITABLE_FIELDS
    )
    options = "".join(
        f"<option value='{c}'{' selected' if c == item['category'] else ''}>{c}</option>"
        for c in CATEGORIES
    )
    image = (
        f"<img id='page' alt='página 1' src='/review/{sha}/page.png'>"
        if has_image
        else "<p id='page'>Sin imagen de página para este original.</p>"
    )
    message = f"<p class='error' id='error'>{escape(error)}</p>" if error else ""
    header = "".join(f"<th>{name}</th>" for name in LINE_FIELDS)
    form = (
        f"<form method='post' action='/review/{sha}'>"
        f"<input type='hidden' name='csrf' value='{csrf}'>"
        f"<table>{fields}<tr><th>category</th><td><select name='category' id='f-category'>"
        f"{options}</select></td><td>{_value(item['category_confidence'])}</td></tr></table>"
        f"<h2>Líneas</h2><table id='lines'><tr><th>#</th>{header}</tr>"
        f"{_line_rows(item['lines'])}</table>"
        "<p><button type='submit' name='action' value='confirm' id='confirm'>Confirmar</button> "
        "<button type='submit' name='action' value='save' id='save'>Guardar</button></p></form>"
    )
    reasons = "".join(f"<li>{escape(r)}</li>" for r in item["reasons"])
    return _page(
        f"Factura {item['invoice_number'] or sha[:12]}",
        f"<p><a href='/review'>← Cola de revisión</a></p>{message}<ul id='reasons'>{reasons}</ul>"
        f"<div class='page'><div>{image}</div><div>{form}</div></div>",
    )
