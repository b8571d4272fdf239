"""General maintenance vocabulary in nine languages, grouped by meaning, for synonym substitution.

Each group holds interchangeable words (es, ca, gl, eu, pt, fr, it, de, en) of one idea: swapping a
word for another of its group keeps an invoice's category, so training texts can be reworded well
beyond the phrases of any one supplier. Groups are tagged with the category they point to;
``neutral`` groups (replacement, work, machine parts) occur in both and are swapped all the same.
Words are single tokens, lower-case, with their accents: they are written into training texts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WordGroup:
    """Interchangeable words of one idea and the category they point to (or neutral)."""

    name: str
    leaning: str  # "preventive", "corrective" or "neutral"
    words: tuple[str, ...]


GROUPS: tuple[WordGroup, ...] = (
    WordGroup(
        "maintenance",
        "preventive",
        (
            "mantenimiento", "manteniment", "mantemento", "mantentze", "mantentzea",
            "manutenção", "manutencao", "maintenance", "entretien", "manutenzione",
            "wartung", "instandhaltung", "upkeep", "servicing", "service",
        ),
    ),
    WordGroup(
        "inspection",
        "preventive",
        (
            "revisión", "inspección", "verificación", "control", "revisió", "inspecció",
            "verificació", "inspección", "ikuskapena", "berrikuspena", "egiaztapena",
            "revisão", "inspeção", "verificação", "révision", "inspection", "vérification",
            "contrôle", "revisione", "ispezione", "verifica", "controllo", "inspektion",
            "überprüfung", "prüfung", "kontrolle", "durchsicht", "check", "checkup",
        ),
    ),
    WordGroup(
        "lubrication",
        "preventive",
        (
            "lubricación", "engrase", "lubricació", "greixatge", "engraxe", "lubricación",
            "koipeztatzea", "olioztatzea", "lubrificação", "engraxamento", "lubrification",
            "graissage", "lubrificazione", "ingrassaggio", "schmierung", "abschmieren",
            "lubrication", "greasing", "oiling",
        ),
    ),
    WordGroup(
        "calibration",
        "preventive",
        (
            "calibración", "ajuste", "reglaje", "calibratge", "calibración", "axuste",
            "kalibrazioa", "doikuntza", "calibração", "afinação", "étalonnage", "calibrage",
            "réglage", "taratura", "calibrazione", "regolazione", "kalibrierung",
            "justierung", "einstellung", "calibration", "adjustment", "tuning",
        ),
    ),
    WordGroup(
        "cleaning",
        "preventive",
        (
            "limpieza", "neteja", "limpeza", "garbiketa", "nettoyage", "pulizia",
            "reinigung", "cleaning",
        ),
    ),
    WordGroup(
        "scheduled",
        "preventive",
        (
            "programada", "planificada", "prevista", "programat", "planificat", "programado",
            "planificado", "programatua", "planifikatua", "planejada", "programmée",
            "planifiée", "prévue", "programmata", "pianificata", "prevista", "geplante",
            "planmäßige", "terminierte", "scheduled", "planned", "routine",
        ),
    ),
    WordGroup(
        "periodic",
        "preventive",
        (
            "periódica", "periòdica", "periódica", "aldizkakoa", "periódico", "périodique",
            "periodica", "periodische", "regelmäßige", "wiederkehrende", "periodic", "regular",
            "recurring",
        ),
    ),
    WordGroup(
        "interval",
        "preventive",
        (
            "anual", "semestral", "trimestral", "mensual", "anyal", "urteko", "hiruhileko",
            "hileko", "mensal", "annuel", "semestriel", "trimestriel", "mensuel", "annuale",
            "semestrale", "trimestrale", "mensile", "jährliche", "halbjährliche",
            "vierteljährliche", "monatliche", "annual", "quarterly", "monthly", "yearly",
        ),
    ),
    WordGroup(
        "preventive",
        "preventive",
        (
            "preventivo", "preventiva", "preventiu", "prebentiboa", "préventive",
            "präventive", "vorbeugende", "preventive", "preventative",
        ),
    ),
    WordGroup(
        "repair",
        "corrective",
        (
            "reparación", "arreglo", "reparació", "reparación", "amaño", "konponketa",
            "konponketa", "reparação", "conserto", "réparation", "dépannage", "riparazione",
            "reparatur", "instandsetzung", "repair", "fix", "mending",
        ),
    ),
    WordGroup(
        "failure",
        "corrective",
        (
            "avería", "fallo", "falla", "avaria", "fallada", "avaría", "matxura", "akatsa",
            "falha", "panne", "défaillance", "défaut", "guasto", "avaria", "difetto",
            "störung", "ausfall", "defekt", "breakdown", "failure", "fault", "malfunction",
            "rotura", "ruptura", "trencament", "haustura", "ruptura", "rupture", "rottura", "bruch",
            "breakage",
        ),
    ),
    WordGroup(
        "broken",
        "corrective",
        (
            "roto", "rota", "quemado", "agarrotado", "trencat", "cremat", "rompido",
            "queimado", "hautsia", "erreta", "partido", "quebrado", "cassé", "grillé",
            "bloqué", "rotto", "bruciato", "grippato", "gebrochen", "durchgebrannt",
            "festgefressen", "broken", "burnt", "seized", "cracked",
            "fisurado", "agrietado", "esquerdat", "fissurado", "fissuré", "incrinato", "gerissen",
            "gerissene", "jammed", "stuck", "atascado", "encallat", "encravado", "coincé",
            "inceppato", "blockiert",
        ),
    ),
    WordGroup(
        "urgent",
        "corrective",
        (
            "urgente", "urgència", "emergencia", "urgent", "urxente", "premiazkoa",
            "larrialdia", "emergência", "urgence", "urgenza", "emergenza", "dringende",
            "notfall", "eilige", "emergency", "rush",
        ),
    ),
    WordGroup(
        "stoppage",
        "corrective",
        (
            "parada", "paro", "aturada", "geldialdia", "paragem", "arrêt", "fermo",
            "stillstand", "stoppage", "shutdown", "downtime",
            "bloqueo", "bloqueig", "blocage", "blocco", "blockade",
        ),
    ),
    WordGroup(
        "leak",
        "corrective",
        (
            "fuga", "fuita", "isuria", "vazamento", "fuite", "perdita", "leckage", "leak",
            "leakage",
        ),
    ),
    WordGroup(
        "unexpected",
        "corrective",
        (
            "imprevista", "inesperada", "imprevista", "ustekabeko", "inesperada",
            "imprévu", "imprevisto", "ungeplanter", "unerwarteter", "unplanned",
            "unexpected", "sudden",
        ),
    ),
    WordGroup(
        "replacement",
        "neutral",
        (
            "sustitución", "cambio", "recambio", "substitució", "canvi", "substitución",
            "ordezkapena", "aldaketa", "substituição", "troca", "remplacement",
            "changement", "sostituzione", "cambio", "austausch", "ersatz", "wechsel",
            "replacement", "renewal", "change",
        ),
    ),
    WordGroup(
        "work",
        "neutral",
        (
            "trabajo", "intervención", "servicio", "treball", "intervenció", "traballo",
            "lana", "esku-hartzea", "trabalho", "intervenção", "travail", "intervention",
            "lavoro", "intervento", "arbeit", "einsatz", "work", "job",
        ),
    ),
)  # fmt: skip


def word_index(groups: tuple[WordGroup, ...] = GROUPS) -> dict[str, WordGroup]:
    """Each word (lower-case) -> its group; a word listed in two groups keeps the first."""
    index: dict[str, WordGroup] = {}
    for group in groups:
        for word in group.words:
            index.setdefault(word.lower(), group)
    return index
