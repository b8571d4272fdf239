"""Vocabulary of the invoices: machines, work done (per language), parts, customers.

Work lines come in kinds. The category of an invoice follows one documented rule:

* ``corrective``: the line repairs a failure (avería, rotura, fallo, urgencia, pieza averiada).
* ``preventive``: scheduled work (revisión periódica, lubricación programada, calibración...).
* ``worn``: a worn consumable or part replaced *during a planned visit* (correas desgastadas,
  rodamientos por desgaste en la revisión programada). Nothing had failed, so it counts as
  preventive work even though it reads like a replacement.
* ``part``, ``labour``, ``travel``, ``discount``: neutral.

An invoice is *correctiva* when at least one line is ``corrective``, otherwise *preventiva*.
Corrective invoices may also carry preventive-looking lines (work done during the same visit),
and preventive invoices carry ``worn`` lines, so the label needs the whole set of lines.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("es", "en", "pt", "fr", "it")

MACHINE_MODELS: dict[str, tuple[str, ...]] = {
    "loom": (
        "Picanol OMNIplus-i 800",
        "Picanol OptiMax-i",
        "Dornier A1",
        "Itema R9500",
        "Tsudakoma ZAX9200i",
        "Toyota JAT810",
    ),
    "circular": ("Mayer & Cie Relanit 3.2 HS", "Terrot S4P-3.2", "Pailung PL-XLD3B"),
    "flat": ("Stoll CMS 530 HP", "Shima Seiki SWG091N2", "Steiger Aries.3"),
    "warper": ("Karl Mayer ISODirect 1800", "Benninger Ben-Direct", "Karl Mayer ISOWARP 3600"),
    "winder": ("Savio Polar Evolution", "Schlafhorst Autoconer X6", "Murata QPRO EX"),
    "stenter": ("Brückner Power-Frame Ecoline", "Monforts Montex 6500", "Krantz K20"),
    "card": ("Trützschler TC 19i", "Rieter C 80", "Marzoli C701"),
    "spinning": ("Rieter G 38", "Zinser 72", "Marzoli NSF2/L"),
    "drawframe": ("Rieter SB-D 50", "Trützschler TD 10"),
}

# Per language: machine kind -> (noun, the "of the" article that precedes it).
MACHINE_NOUNS: dict[str, dict[str, tuple[str, str]]] = {
    "es": {
        "loom": ("telar", "del "),
        "circular": ("tricotosa circular", "de la "),
        "flat": ("tricotosa rectilínea", "de la "),
        "warper": ("urdidora", "de la "),
        "winder": ("bobinadora", "de la "),
        "stenter": ("rama tensora", "de la "),
        "card": ("carda", "de la "),
        "spinning": ("continua de hilar", "de la "),
        "drawframe": ("manuar", "del "),
    },
    "en": {
        "loom": ("loom", "of the "),
        "circular": ("circular knitting machine", "of the "),
        "flat": ("flat knitting machine", "of the "),
        "warper": ("warping machine", "of the "),
        "winder": ("winding machine", "of the "),
        "stenter": ("stenter frame", "of the "),
        "card": ("carding machine", "of the "),
        "spinning": ("ring spinning frame", "of the "),
        "drawframe": ("draw frame", "of the "),
    },
    "pt": {
        "loom": ("tear", "do "),
        "circular": ("tricotadeira circular", "da "),
        "flat": ("tricotadeira retilínea", "da "),
        "warper": ("urdideira", "da "),
        "winder": ("bobinadeira", "da "),
        "stenter": ("râmola", "da "),
        "card": ("carda", "da "),
        "spinning": ("contínuo de fiação", "do "),
        "drawframe": ("laminador", "do "),
    },
    "fr": {
        "loom": ("métier à tisser", "du "),
        "circular": ("tricoteuse circulaire", "de la "),
        "flat": ("tricoteuse rectiligne", "de la "),
        "warper": ("ourdissoir", "de l'"),
        "winder": ("bobinoir", "du "),
        "stenter": ("rame de séchage", "de la "),
        "card": ("carde", "de la "),
        "spinning": ("continu à filer", "du "),
        "drawframe": ("étireuse", "de l'"),
    },
    "it": {
        "loom": ("telaio", "del "),
        "circular": ("macchina circolare", "della "),
        "flat": ("macchina rettilinea", "della "),
        "warper": ("orditoio", "dell'"),
        "winder": ("roccatrice", "della "),
        "stenter": ("rameuse", "della "),
        "card": ("carda", "della "),
        "spinning": ("filatoio ad anelli", "del "),
        "drawframe": ("stiratoio", "dello "),
    },
}

MACHINE_NUMBER = {"es": "nº", "en": "no.", "pt": "n.º", "fr": "n°", "it": "n."}

PREVENTIVE: dict[str, tuple[str, ...]] = {
    "es": (
        "Revisión periódica {de_m}",
        "Lubricación programada {de_m}: engrase de rodamientos, cadenas y guías",
        "Calibración semestral de sensores {de_m}",
        "Inspección trimestral {de_m} según plan de mantenimiento",
        "Mantenimiento preventivo {de_m} (plan anual, visita {visit} de 4)",
        "Ajuste programado de tensiones y holguras {de_m}",
        "Limpieza técnica y soplado programado {de_m}",
        "Verificación anual de seguridad eléctrica {de_m}",
        "Cambio de aceite programado en el reductor {de_m}",
        "Control de vibraciones y termografía programada {de_m}",
        "Revisión de las 2.000 horas {de_m}",
        "Puesta a punto anual {de_m}",
    ),
    "en": (
        "Scheduled periodic inspection {de_m}",
        "Planned lubrication {de_m}: bearings, chains and guides",
        "Six-monthly calibration of the sensors {de_m}",
        "Quarterly service {de_m} as per maintenance plan",
        "Preventive maintenance {de_m} (annual plan, visit {visit} of 4)",
        "Scheduled oil change in the gearbox {de_m}",
        "Planned vibration analysis and thermography {de_m}",
        "Annual electrical safety check {de_m}",
    ),
    "pt": (
        "Revisão periódica {de_m}",
        "Lubrificação programada {de_m}: rolamentos, correntes e guias",
        "Calibração semestral dos sensores {de_m}",
        "Manutenção preventiva {de_m} (plano anual, visita {visit} de 4)",
        "Inspeção trimestral {de_m} conforme plano de manutenção",
        "Mudança de óleo programada no redutor {de_m}",
        "Verificação anual da segurança elétrica {de_m}",
        "Limpeza técnica programada {de_m}",
    ),
    "fr": (
        "Révision périodique {de_m}",
        "Graissage programmé {de_m} : roulements, chaînes et glissières",
        "Étalonnage semestriel des capteurs {de_m}",
        "Maintenance préventive {de_m} (plan annuel, visite {visit} sur 4)",
        "Contrôle trimestriel {de_m} selon plan de maintenance",
        "Vidange programmée du réducteur {de_m}",
        "Vérification annuelle de la sécurité électrique {de_m}",
        "Analyse vibratoire planifiée {de_m}",
    ),
    "it": (
        "Revisione periodica {de_m}",
        "Lubrificazione programmata {de_m}: cuscinetti, catene e guide",
        "Taratura semestrale dei sensori {de_m}",
        "Manutenzione preventiva {de_m} (piano annuale, visita {visit} di 4)",
        "Ispezione trimestrale {de_m} secondo piano di manutenzione",
        "Cambio olio programmato nel riduttore {de_m}",
        "Verifica annuale della sicurezza elettrica {de_m}",
        "Pulizia tecnica programmata {de_m}",
    ),
}

CORRECTIVE: dict[str, tuple[str, ...]] = {
    "es": (
        "Sustitución de rodamiento averiado en el eje principal {de_m}",
        "Reparación urgente tras rotura del eje de transmisión {de_m}",
        "Reparación de avería en el variador de frecuencia {de_m}",
        "Sustitución del motor principal quemado {de_m}",
        "Reparación de fuga de aceite {de_m} tras parada imprevista",
        "Diagnóstico y reparación de fallo en la placa de control {de_m}",
        "Intervención de urgencia por bloqueo {de_m}",
        "Reparación del bastidor fisurado {de_m}",
        "Sustitución de engranaje roto en la caja de cambios {de_m}",
        "Reparación de cortocircuito en el cuadro eléctrico {de_m}",
        "Cambio de sensor de trama defectuoso {de_m} (máquina parada)",
        "Reparación tras avería: rebobinado del motor {de_m}",
    ),
    "en": (
        "Replacement of failed main shaft bearing {de_m}",
        "Emergency repair after drive shaft breakage {de_m}",
        "Repair of faulty frequency inverter {de_m}",
        "Replacement of burnt-out main motor {de_m}",
        "Call-out: breakdown repair, jammed drive {de_m}",
        "Fault finding and repair of control board {de_m}",
        "Repair of oil leak {de_m} after unplanned stop",
        "Replacement of broken gear in the gearbox {de_m}",
    ),
    "pt": (
        "Substituição de rolamento avariado no eixo principal {de_m}",
        "Reparação urgente após rotura do veio de transmissão {de_m}",
        "Reparação de avaria no variador de frequência {de_m}",
        "Substituição do motor principal queimado {de_m}",
        "Diagnóstico e reparação de falha na placa de controlo {de_m}",
        "Intervenção de urgência por bloqueio {de_m}",
        "Reparação de fuga de óleo {de_m} após paragem imprevista",
        "Substituição de engrenagem partida na caixa {de_m}",
    ),
    "fr": (
        "Remplacement du roulement défectueux de l'arbre principal {de_m}",
        "Dépannage urgent après casse de l'arbre de transmission {de_m}",
        "Réparation de la panne du variateur de fréquence {de_m}",
        "Remplacement du moteur principal grillé {de_m}",
        "Diagnostic et réparation du défaut de la carte de commande {de_m}",
        "Intervention d'urgence suite au blocage {de_m}",
        "Réparation d'une fuite d'huile {de_m} après arrêt imprévu",
        "Remplacement d'un engrenage cassé {de_m}",
    ),
    "it": (
        "Sostituzione del cuscinetto guasto dell'albero principale {de_m}",
        "Riparazione urgente dopo rottura dell'albero di trasmissione {de_m}",
        "Riparazione del guasto all'inverter {de_m}",
        "Sostituzione del motore principale bruciato {de_m}",
        "Diagnosi e riparazione del guasto alla scheda di controllo {de_m}",
        "Intervento urgente per blocco {de_m}",
        "Riparazione di perdita d'olio {de_m} dopo fermo imprevisto",
        "Sostituzione di ingranaggio rotto {de_m}",
    ),
}

WORN: dict[str, tuple[str, ...]] = {
    "es": (
        "Sustitución programada de correas desgastadas {de_m}",
        "Cambio de rodamientos por desgaste durante la revisión programada {de_m}",
        "Reposición de filtros y juntas en la revisión periódica {de_m}",
        "Sustitución de guarniciones gastadas detectadas en la inspección programada {de_m}",
        "Cambio de agujas desgastadas en el mantenimiento planificado {de_m}",
    ),
    "en": (
        "Planned replacement of worn belts {de_m}",
        "Worn bearings renewed during the scheduled service {de_m}",
    ),
    "pt": (
        "Substituição programada de correias gastas {de_m}",
        "Troca de rolamentos por desgaste na revisão programada {de_m}",
    ),
    "fr": (
        "Remplacement programmé des courroies usées {de_m}",
        "Roulements usés remplacés lors de la révision planifiée {de_m}",
    ),
    "it": (
        "Sostituzione programmata delle cinghie usurate {de_m}",
        "Cuscinetti usurati sostituiti durante la revisione programmata {de_m}",
    ),
}


@dataclass(frozen=True, slots=True)
class Article:
    """A neutral priced item: a part, consumable, hour of labour or a trip."""

    text: str
    price: tuple[float, float]
    quantity: tuple[float, float]
    step: float = 1.0  # quantity granularity (0.5 for hours)
    code: str = ""


PARTS: dict[str, tuple[Article, ...]] = {
    "es": (
        Article("Rodamiento SKF 6205-2RS", (8, 35), (1, 6), code="ROD-6205"),
        Article("Correa dentada HTD 8M-1200", (25, 90), (1, 4), code="COR-8M12"),
        Article("Aceite lubricante ISO VG 68 (bidón 20 l)", (60, 140), (1, 3), code="ACE-VG68"),
        Article("Grasa de litio EP2, cartucho 400 g", (6, 14), (2, 12), code="GRA-EP2"),
        Article(
            "Agujas de lengüeta Groz-Beckert (caja de 100 ud.)", (40, 120), (1, 5), code="AGU-GB100"
        ),
        Article("Kit de juntas tóricas", (15, 60), (1, 3), code="JUN-KIT"),
        Article("Filtro de aire para cuadro eléctrico", (12, 45), (1, 4), code="FIL-AIR"),
        Article("Cinta de lanza para telar de pinzas", (70, 180), (1, 2), code="LAN-CIN"),
        Article("Sensor fotoeléctrico de trama", (90, 260), (1, 2), code="SEN-TRM"),
        Article("Variador de frecuencia 7,5 kW", (450, 1200), (1, 1), code="VAR-75"),
        Article("Escobillas de carbón para motor", (10, 30), (2, 6), code="ESC-CB"),
        Article("Cadena de transporte, tramo de 1 m", (80, 220), (1, 6), code="CAD-1M"),
        Article("Tornillería y material auxiliar", (5, 40), (1, 1), code="VAR-AUX"),
        Article("Guarnición de carda (metro lineal)", (30, 90), (2, 10), code="GUA-ML"),
    ),
    "en": (
        Article("SKF 6205-2RS bearing", (8, 35), (1, 6), code="BRG-6205"),
        Article("HTD 8M-1200 timing belt", (25, 90), (1, 4), code="BLT-8M12"),
        Article("ISO VG 68 lubricating oil (20 l drum)", (60, 140), (1, 3), code="OIL-VG68"),
        Article("Groz-Beckert latch needles (box of 100)", (40, 120), (1, 5), code="NDL-GB100"),
        Article("Photoelectric weft sensor", (90, 260), (1, 2), code="SNS-WFT"),
        Article("Sundry fixings and consumables", (5, 40), (1, 1), code="SUN-001"),
    ),
    "pt": (
        Article("Rolamento SKF 6205-2RS", (8, 35), (1, 6), code="ROL-6205"),
        Article("Correia dentada HTD 8M-1200", (25, 90), (1, 4), code="COR-8M12"),
        Article("Óleo lubrificante ISO VG 68 (bidão 20 l)", (60, 140), (1, 3), code="OLE-VG68"),
        Article(
            "Agulhas de lingueta Groz-Beckert (caixa 100 un.)", (40, 120), (1, 5), code="AGU-GB100"
        ),
        Article("Sensor fotoelétrico de trama", (90, 260), (1, 2), code="SEN-TRM"),
        Article("Parafusaria e material auxiliar", (5, 40), (1, 1), code="MAT-AUX"),
    ),
    "fr": (
        Article("Roulement SKF 6205-2RS", (8, 35), (1, 6), code="RLT-6205"),
        Article("Courroie crantée HTD 8M-1200", (25, 90), (1, 4), code="CRR-8M12"),
        Article("Huile de graissage ISO VG 68 (fût de 20 l)", (60, 140), (1, 3), code="HUI-VG68"),
        Article(
            "Aiguilles à clapet Groz-Beckert (boîte de 100)", (40, 120), (1, 5), code="AIG-GB100"
        ),
        Article("Capteur photoélectrique de trame", (90, 260), (1, 2), code="CAP-TRM"),
        Article("Visserie et petites fournitures", (5, 40), (1, 1), code="FOU-DIV"),
    ),
    "it": (
        Article("Cuscinetto SKF 6205-2RS", (8, 35), (1, 6), code="CUS-6205"),
        Article("Cinghia dentata HTD 8M-1200", (25, 90), (1, 4), code="CIN-8M12"),
        Article("Olio lubrificante ISO VG 68 (fusto 20 l)", (60, 140), (1, 3), code="OLI-VG68"),
        Article(
            "Aghi a linguetta Groz-Beckert (scatola da 100)", (40, 120), (1, 5), code="AGH-GB100"
        ),
        Article("Sensore fotoelettrico di trama", (90, 260), (1, 2), code="SEN-TRM"),
        Article("Minuteria e materiale di consumo", (5, 40), (1, 1), code="MIN-VAR"),
    ),
}

LABOUR: dict[str, tuple[Article, ...]] = {
    "es": (
        Article("Mano de obra técnico especialista", (38, 62), (1, 8), 0.5, "MO-ESP"),
        Article("Horas de oficial mecánico", (32, 48), (1, 10), 0.5, "MO-OF1"),
    ),
    "en": (Article("Service engineer labour (hours)", (55, 85), (1, 8), 0.5, "LAB-ENG"),),
    "pt": (Article("Mão de obra técnico especializado (horas)", (30, 50), (1, 8), 0.5, "MO-TEC"),),
    "fr": (Article("Main-d'œuvre technicien (heures)", (52, 78), (1, 8), 0.5, "MO-TEC"),),
    "it": (Article("Manodopera tecnico specializzato (ore)", (40, 65), (1, 8), 0.5, "MO-TEC"),),
}

URGENT_LABOUR: dict[str, tuple[Article, ...]] = {
    "es": (
        Article(
            "Horas extraordinarias en fin de semana (servicio urgente)",
            (55, 85),
            (2, 8),
            0.5,
            "MO-URG",
        ),
    ),
    "en": (Article("Out-of-hours call-out surcharge", (80, 150), (1, 1), code="LAB-OOH"),),
    "pt": (
        Article(
            "Horas extraordinárias ao fim de semana (serviço urgente)",
            (45, 70),
            (2, 8),
            0.5,
            "MO-URG",
        ),
    ),
    "fr": (
        Article("Majoration intervention urgente (week-end)", (80, 150), (1, 1), code="MO-URG"),
    ),
    "it": (Article("Maggiorazione intervento urgente festivo", (80, 150), (1, 1), code="MO-URG"),),
}

TRAVEL: dict[str, tuple[Article, ...]] = {
    "es": (
        Article("Desplazamiento a {city}", (25, 120), (1, 1), code="DESPL"),
        Article("Kilometraje ida y vuelta a {city}", (0.32, 0.45), (40, 320), code="KM"),
        Article("Dietas del técnico", (18, 45), (1, 3), code="DIET"),
    ),
    "en": (Article("Travel to {city}", (150, 420), (1, 1), code="TRV"),),
    "pt": (Article("Deslocação a {city}", (60, 240), (1, 1), code="DESL"),),
    "fr": (Article("Déplacement à {city}", (120, 380), (1, 1), code="DEPL"),),
    "it": (Article("Trasferta a {city}", (120, 380), (1, 1), code="TRASF"),),
}

DETAILS: dict[str, tuple[str, ...]] = {
    "es": (
        ", incluida comprobación de holguras, reapriete de tornillería y prueba de funcionamiento en vacío",
        " (parte de trabajo nº {ot}, técnico: {tech})",
        " según orden de trabajo OT-{ot}",
        ". Trabajos realizados en la nave {hall} con la máquina detenida {hours} h",
        " en las instalaciones del cliente, sección de {section}",
    ),
    "en": (
        ", including clearance checks, re-torquing of fasteners and a no-load test run",
        " (job sheet {ot}, engineer: {tech})",
    ),
    "pt": (
        ", incluindo verificação de folgas, reaperto e ensaio em vazio",
        " (folha de obra n.º {ot}, técnico: {tech})",
    ),
    "fr": (
        ", y compris contrôle des jeux, resserrage de la visserie et essai à vide",
        " (bon d'intervention n° {ot}, technicien : {tech})",
    ),
    "it": (
        ", compresi controllo dei giochi, serraggio della bulloneria e prova a vuoto",
        " (rapportino n. {ot}, tecnico: {tech})",
    ),
}

SECTIONS = ("tejeduría", "hilatura", "tintes y acabados", "tricotaje", "preparación")
TECHNICIANS = (
    "J. Puig",
    "M. García",
    "A. Ferrer",
    "L. Soler",
    "R. Martínez",
    "P. Vidal",
    "S. Romero",
    "D. Costa",
)

GLOBAL_DISCOUNT: dict[str, str] = {
    "es": "Descuento comercial {pct}",
    "en": "Trade discount {pct}",
    "pt": "Desconto comercial {pct}",
    "fr": "Remise commerciale {pct}",
    "it": "Sconto commerciale {pct}",
}

EXEMPT_NOTES: dict[str, str] = {
    "es": "Operación no sujeta a IVA (arts. 69 y 84.Uno.2º Ley 37/1992). Inversión del sujeto pasivo.",
    "en": "Reverse charge: VAT to be accounted for by the recipient (Art. 196 Council Directive 2006/112/EC).",
    "pt": "IVA - autoliquidação. Art. 196.º da Diretiva 2006/112/CE.",
    "fr": "Autoliquidation : TVA due par le preneur (art. 196 de la directive 2006/112/CE).",
    "it": "Operazione non imponibile, inversione contabile (art. 7-ter DPR 633/72, art. 196 Dir. 2006/112/CE).",
}


@dataclass(frozen=True, slots=True)
class Customer:
    """A textile mill that receives invoices."""

    name: str
    address: tuple[str, ...]
    country: str  # ES, PT, FR, IT
    id_kind: str  # cif, dni, pt, fr, it
    city: str


CUSTOMERS: tuple[Customer, ...] = (
    Customer(
        "Hilaturas del Ter, S.A.",
        ("Ctra. de Ripoll, km 3", "17500 Ripoll (Girona)"),
        "ES",
        "cif",
        "Ripoll",
    ),
    Customer(
        "Tejidos Sabadell Industrial, S.L.",
        ("Pol. Ind. Can Roqueta, C/ Ter, 14", "08202 Sabadell (Barcelona)"),
        "ES",
        "cif",
        "Sabadell",
    ),
    Customer(
        "Textil Alcoyana de Punto, S.L.",
        ("Av. d'Elx, 112", "03801 Alcoi (Alicante)"),
        "ES",
        "cif",
        "Alcoi",
    ),
    Customer(
        "Estampados Levante, S.A.",
        ("C/ Tintorers, 8", "46870 Ontinyent (Valencia)"),
        "ES",
        "cif",
        "Ontinyent",
    ),
    Customer(
        "Acabados Textiles Terrassa, S.L.",
        ("Rambla d'Egara, 230", "08224 Terrassa (Barcelona)"),
        "ES",
        "cif",
        "Terrassa",
    ),
    Customer(
        "Tintes y Aprestos Béjar, S.L.",
        ("Paseo de la Fábrica, 3", "37700 Béjar (Salamanca)"),
        "ES",
        "cif",
        "Béjar",
    ),
    Customer(
        "Géneros de Punto Mataró, S.L.",
        ("C/ de la Riera, 61", "08301 Mataró (Barcelona)"),
        "ES",
        "cif",
        "Mataró",
    ),
    Customer(
        "Tejeduría Igualada, S.L.",
        ("Pol. Ind. Les Comes, C/ Anoia, 5", "08700 Igualada (Barcelona)"),
        "ES",
        "cif",
        "Igualada",
    ),
    Customer(
        "Alfombras Crevillent, S.A.",
        ("Av. de Madrid, 77", "03330 Crevillent (Alicante)"),
        "ES",
        "cif",
        "Crevillent",
    ),
    Customer(
        "Fibras Técnicas del Vallès, S.L.",
        ("C/ Indústria, 19", "08191 Rubí (Barcelona)"),
        "ES",
        "cif",
        "Rubí",
    ),
    Customer(
        "Cooperativa Textil de Baza",
        ("Camino de Caniles, s/n", "18800 Baza (Granada)"),
        "ES",
        "cif",
        "Baza",
    ),
    Customer("Josep Riera Vilanova", ("C/ Major, 40", "08500 Vic (Barcelona)"), "ES", "dni", "Vic"),
    Customer(
        "Fiação do Ave, Lda.",
        ("Rua da Indústria, 210", "4780-000 Santo Tirso"),
        "PT",
        "pt",
        "Santo Tirso",
    ),
    Customer(
        "Tissages de Roanne SARL", ("12 rue des Canuts", "42300 Roanne"), "FR", "fr", "Roanne"
    ),
    Customer(
        "Lanificio Valle Cervo S.p.A.", ("Via Cervo 18", "13900 Biella (BI)"), "IT", "it", "Biella"
    ),
)
