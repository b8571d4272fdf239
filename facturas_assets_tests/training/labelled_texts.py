"""Labelled invoice-like texts for classifier tests: the category follows from the work in the lines.

Headers, parties and shared items (travel, labour) are the same for both classes, so a model must
read the line items; several languages and layouts vary the wording around them.
"""

from __future__ import annotations

import random

PREVENTIVE_WORK = [
    "Revisión periódica programada del telar",
    "Mantenimiento preventivo trimestral de la tricotosa",
    "Lubricación programada de rodamientos",
    "Inspección anual de seguridad de la urdidora",
    "Calibración periódica de sensores de tensión",
    "Limpieza programada de filtros y ventiladores",
    "Scheduled preventive maintenance of loom",
    "Periodic inspection and lubrication",
    "Maintenance préventive planifiée du métier à tisser",
    "Vorbeugende Wartung der Strickmaschine (Intervall 500 h)",
    "Manutenzione preventiva programmata della macchina",
    "Substituição preventiva de correias conforme plano",
]
CORRECTIVE_WORK = [
    "Reparación de avería en el motor principal",
    "Sustitución de rodamiento roto tras fallo",
    "Reparación urgente por rotura de la lanzadera",
    "Diagnóstico y reparación de fallo eléctrico",
    "Cambio de placa electrónica averiada",
    "Soldadura de bastidor fisurado",
    "Emergency repair of broken drive belt",
    "Breakdown repair: replaced burnt motor",
    "Réparation de la panne du variateur",
    "Reparatur nach Ausfall des Hauptantriebs",
    "Riparazione guasto al sistema di trazione",
    "Reparação de avaria no quadro elétrico",
]
SHARED_ITEMS = [
    "Desplazamiento técnico",
    "Mano de obra (horas)",
    "Travel expenses",
    "Kit de piezas varias",
    "Frais de déplacement",
]
HEADERS = [
    ("FACTURA", "Nº factura", "Fecha", "Base imponible", "IVA 21%", "Total"),
    ("INVOICE", "Invoice no.", "Date", "Subtotal", "VAT 21%", "Total due"),
    ("FACTURE", "N° facture", "Date", "Total HT", "TVA 20%", "Total TTC"),
    ("RECHNUNG", "Rechnungsnr.", "Datum", "Nettobetrag", "MwSt 19%", "Gesamtbetrag"),
]
COMPANIES = ["Hilaturas del Norte S.L.", "Tejidos Levante S.A.", "Textil Ebro S.L.", "Punto Sur SL"]


def invoice_text(category: str, rng: random.Random) -> str:
    """One invoice text whose category is decided by its line items."""
    title, number, date, net, tax, total = rng.choice(HEADERS)
    work = PREVENTIVE_WORK if category == "preventiva" else CORRECTIVE_WORK
    lines = [rng.choice(work) for _ in range(rng.randint(1, 3))]
    lines += rng.sample(SHARED_ITEMS, rng.randint(0, 2))
    rng.shuffle(lines)
    amount = rng.uniform(80, 4000)
    body = [
        f"Mantenimientos Textiles Industriales S.L. B{rng.randint(10**7, 10**8 - 1)}",
        title,
        f"{number} {rng.choice('ABCF')}-{rng.randint(1000, 99999)}  {date} "
        f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2024",
        f"Cliente: {rng.choice(COMPANIES)}",
    ]
    for line in lines:
        qty = rng.randint(1, 8)
        body.append(f"{line}  {qty}  {amount / qty:,.2f}  {amount:,.2f}")
    body += [f"{net} {amount:,.2f}", f"{tax} {amount * 0.21:,.2f}", f"{total} {amount * 1.21:,.2f}"]
    return "\n".join(body)


def labelled_texts(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """n texts, half of each category (alternating), and their labels."""
    rng = random.Random(seed)
    labels = ["preventiva" if i % 2 == 0 else "correctiva" for i in range(n)]
    return [invoice_text(label, rng) for label in labels], labels
