"""OCR slips in item descriptions mended with the words of descriptions read exactly."""

from __future__ import annotations

from facturas_assets.documents.extraction import extract_invoice
from facturas_assets.documents.extraction.memory import ReadingMemory
from facturas_assets.documents.extraction.vocabulary import Vocabulary, slip_distance
from facturas_assets.documents.limits import document_deadline
from facturas_assets.documents.model import InvoiceData, InvoiceLine, ReadDocument
from facturas_assets_tests.documents.test_extraction import Sheet
from facturas_assets_tests.documents.test_extraction_ocr_slips import items_table

KNOWN = [
    "Taratura della carda n. 12",
    "Minuteria e materiale di consumo",
    "Minuteria non inclusa",
    "Tornillería y material auxiliar",
    "Cadena de transporte, tramo de 1 m",
    "Limpieza de la continua de hilar Zinser 72 nº 3 y prueba en vacío",
    "Tricotosa circular Mayer & Cie Relanit 3.2 HS",
    "Revisión periódica de la tricotosa rectilínea Stoll CMS 530 HP nº 4",
    "Sustitución del rodamiento de la carda Trützschler TC 19i",
    "Aceite lubricante ISO VG 68 (bidón 20 l)",
    "Grasa de litio EP2, cartucho 400 g",
    "Carda Marzoli C701 nº 12",
    "Descuento comercial 5 %",
]


def _mend(text: str) -> str:
    return Vocabulary.from_descriptions(KNOWN * 3).mend(text).text


def test_accents_lookalikes_and_dropped_letters_are_mended() -> None:
    assert (
        _mend("Revision periodica de la tricotosa rectilinea Stoll CMS 530 HP n° 4")
        == "Revisión periódica de la tricotosa rectilínea Stoll CMS 530 HP nº 4"
    )
    assert (
        _mend("Sustitucion de! rodamiento de la carda Trútzschler TC 19i")
        == "Sustitución del rodamiento de la carda Trützschler TC 19i"
    )
    assert _mend("Carda Marzoli C7O1 nº 12") == "Carda Marzoli C701 nº 12"
    assert _mend("Tomilleria y matenal auxihar") == "Tornillería y material auxiliar"
    assert _mend("REVISION PERIODICA") == "REVISIÓN PERIÓDICA"  # capitals stay capitals


def test_a_unit_read_as_a_digit_is_mended_only_where_the_pair_is_known() -> None:
    assert (
        _mend("Aceite lubricante ISO VG 68 (bidón 20 1)")
        == "Aceite lubricante ISO VG 68 (bidón 20 l)"
    )
    assert _mend("Grasa de litio EP2, cartucho 400 9") == "Grasa de litio EP2, cartucho 400 g"
    glued = "Aceite lubricante ISO VG 68 (bidón 201)"
    assert _mend(glued) == "Aceite lubricante ISO VG 68 (bidón 20 l)"
    # "1" after a word never followed by a unit stays a number.
    assert _mend("Revisión de la carda 1") == "Revisión de la carda 1"


def test_numbers_new_words_and_ambiguous_slips_stay_as_read() -> None:
    vocabulary = Vocabulary.from_descriptions(["Telar Tsudakoma ZAX9200i", "saca", "sala"])
    for text in (
        "Telar Tsudakoma ZAX9100i",  # another model: digits are never changed
        "Orden de trabajo 12345",
        "Plegadora hidráulica",  # a word far from every known one
        "saxa",  # as near to "saca" as to "sala"
    ):
        mended = vocabulary.mend(text)
        assert (mended.text, mended.words_changed) == (text, 0)
    assert Vocabulary().mend("Revision del telar").words_changed == 0


def test_known_descriptions_are_never_rewritten() -> None:
    vocabulary = Vocabulary.from_descriptions(KNOWN)
    for text in KNOWN:
        assert vocabulary.mend(text).text == text


def test_slip_distance_weighs_accents_and_lookalikes_below_other_letters() -> None:
    assert slip_distance("rectilinea", "rectilínea") < slip_distance("c7o1", "c701") < 1.0
    assert slip_distance("casa", "cosa") == 1.0
    assert slip_distance("9100", "9200") > 10


def _table_doc(method: str) -> ReadDocument:
    s = Sheet()
    items_table(s, [("Revision periodica de la tricotosa rectilinea", "1", "100,00", "100,00")])
    s.totals([("Base imponible", "100,00")], y=260)
    return ReadDocument("f.pdf", "0" * 64, method, pages=s.pages)


def test_only_ocr_readings_are_mended_and_the_change_is_told() -> None:
    memory = ReadingMemory.from_rows(KNOWN, [])
    scanned = extract_invoice(_table_doc("ocr"), memory)
    assert scanned.lines[0].description == "Revisión periódica de la tricotosa rectilínea"
    assert any(w.startswith("descriptions_mended: 3 ") for w in scanned.warnings)
    exact = extract_invoice(_table_doc("text"), memory)
    assert exact.lines[0].description == "Revision periodica de la tricotosa rectilinea"
    assert not any(w.startswith("descriptions_mended") for w in exact.warnings)


def test_glued_words_stray_dots_and_misread_signs_are_mended() -> None:
    assert _mend("Cadena de transporte, tramo de 1m") == "Cadena de transporte, tramo de 1 m"
    assert (
        _mend("Limpieza de la-continua de hilar Zinser 72 nº3 y prueba en vacío.")
        == "Limpieza de la continua de hilar Zinser 72 nº 3 y prueba en vacío"
    )
    assert _mend("Tricotosa circular Mayer € Cie") == "Tricotosa circular Mayer & Cie"
    assert _mend("Descuento comercial 5%") == "Descuento comercial 5 %"
    assert _mend("Taratura della carda n12") == "Taratura della carda n. 12"
    assert _mend("Taratura della carda.n.12") == "Taratura della carda n. 12"  # three glued
    assert _mend("Aceite lubricante ISO VG 68 (bidón 20.1)") == (
        "Aceite lubricante ISO VG 68 (bidón 20 l)"
    )  # its unit joined by a dot and read as a digit
    assert _mend("Aceite lubricante ISO VG 68 (bidón 20:1)") == (
        "Aceite lubricante ISO VG 68 (bidón 20 l)"
    )  # or by a colon
    # A dot after a number may end a sentence; a digit is never swapped for another digit.
    assert _mend("Zinser 72. Limpieza") == "Zinser 72. Limpieza"
    assert _mend("Zinser 7 nº 3") == "Zinser 7 nº 3"


def test_a_short_word_lost_between_two_known_ones_is_put_back_and_a_leading_speck_dropped() -> None:
    assert _mend("i Minuteria materiale di consumo") == "Minuteria e materiale di consumo"
    assert _mend("Cuscinetto.SKF") == "Cuscinetto.SKF"  # nothing known of either word
    assert _mend("Minuteria inclusa") == "Minuteria inclusa"  # a negation is never put back
    assert _mend("Revisión de la carda") == "Revisión de la carda"  # a long word neither


def test_stray_dashes_quotes_and_a_final_dot_are_specks() -> None:
    assert _mend("[Cadena de transporte, tramo de 1 m.") == "Cadena de transporte, tramo de 1 m"
    assert _mend("Tricotosa circular - Mayer & Cie") == "Tricotosa circular Mayer & Cie"
    # A dot known to end descriptions stays: "ud." in "(caja de 100 ud.)".
    vocabulary = Vocabulary.from_descriptions(["Agujas (caja de 100 ud.)"] * 3)
    assert vocabulary.mend("Agujas (caja de 100 ud.)").text == "Agujas (caja de 100 ud.)"


def test_the_dot_of_an_abbreviation_always_written_with_it_is_put_back() -> None:
    assert _mend("Taratura della carda n 7") == "Taratura della carda n. 7"
    assert _mend("Taratura della carda _n. 7") == "Taratura della carda n. 7"


def test_the_raised_sign_of_nº_as_ocr_reads_it_before_a_number() -> None:
    for read in (
        "n2 12",
        "nº2 12",
        "n. 2 12",
        "n°? 12",
        "nº ? 12",
        "n”12",
        "n¥ 12",
        "n*-12",
        "1° 12",
        "nº -12",
        "nº ¡12",
        "¡n°12",
    ):
        assert _mend(f"Carda Marzoli C701 {read}") == "Carda Marzoli C701 nº 12", read
    # Glued to a known word the sign follows; not to another word.
    assert _mend("Carda Marzoli C701n°12") == "Carda Marzoli C701 nº 12"
    assert _mend("Carda Marzoli C701.n® 12") == "Carda Marzoli C701 nº 12"
    assert _mend("Carda Marzolin°12") == "Carda Marzolin°12"
    # "n. 2" before words, and "n. 12" where the vocabulary knows "n.", are no misreadings.
    assert _mend("Taratura della carda n. 2 (piano") == "Taratura della carda n. 2 (piano"
    assert _mend("Taratura della carda n. 12") == "Taratura della carda n. 12"
    without = Vocabulary.from_descriptions(["Carda n. 5"] * 3)
    assert without.mend("Carda n. 2 12").text == "Carda n. 2 12"  # no well-known "nº": kept


def test_the_number_sign_is_the_one_the_words_of_the_description_use() -> None:
    known = [
        "Revisión de la urdidora Karl Mayer Isodirect 1800 nº 3",
        "Limpieza de la urdidora Karl Mayer Isodirect 1800 nº 7",
        "Revisión de la urdidora Karl Mayer Isodirect 1800 según plan",
        "Pulizia della orditrice Karl Mayer Isodirect 1800 n. 5",
        "Revisione della orditrice Karl Mayer Isodirect 1800 n. 9",
    ]
    vocabulary = Vocabulary.from_descriptions(known * 3)

    def mend(text: str) -> str:
        return vocabulary.mend(text).text

    # Spanish words around it: the "º" read as a dot, glued to its number, or lost altogether.
    assert mend("Limpieza de la urdidora Karl Mayer Isodirect 1800 n. 22") == (
        "Limpieza de la urdidora Karl Mayer Isodirect 1800 nº 22"
    )
    assert mend("Revisión de la urdidora Karl Mayer Isodirect 1800 n°:22") == (
        "Revisión de la urdidora Karl Mayer Isodirect 1800 nº 22"
    )
    assert mend("Revisión de la urdidora Karl Mayer Isodirect 1800 22") == (
        "Revisión de la urdidora Karl Mayer Isodirect 1800 nº 22"
    )
    # Italian words: "n." is right, and is the sign put back.
    for text in ("Pulizia della orditrice Karl Mayer Isodirect 1800 n. 22", "Pulizia 1800 n. 2"):
        assert mend(text) == text
        assert mend(text.replace("n. ", "n.-")) == text  # a dash read between them
    assert mend("Revisione della orditrice Karl Mayer Isodirect 1800 22") == (
        "Revisione della orditrice Karl Mayer Isodirect 1800 n. 22"
    )
    # No words that tell: as read; a word often followed by others keeps a bare number.
    assert mend("Karl Mayer Isodirect 1800 22") == "Karl Mayer Isodirect 1800 22"
    assert mend("Revisión de la urdidora 2") == "Revisión de la urdidora 2"
    # A word once followed by a number itself, and a sign seen too seldom to be told: as read.
    telar = Vocabulary.from_descriptions(["Telar nº 3", "Telar nº 4", "Telar nº 5", "Telar 2000"])
    assert telar.mend("Telar 7").text == "Telar 7"
    seldom = Vocabulary.from_descriptions(["Revisión de la carda nº 3"] * 20 + ["Carda n. 4"])
    assert seldom.mend("Revisión de la carda n. 12").text == "Revisión de la carda n. 12"


def test_a_model_names_letters_read_as_digits_after_the_word_it_always_follows() -> None:
    assert _mend("Sustitución del rodamiento de la carda Trützschler TC 191") == (
        "Sustitución del rodamiento de la carda Trützschler TC 19i"
    )
    # A number no word before it was seen with as a name, and other digits, stay as read.
    assert _mend("Sustitución del rodamiento de la carda 191") == (
        "Sustitución del rodamiento de la carda 191"
    )
    assert _mend("Carda Trützschler TC 192") == "Carda Trützschler TC 192"


def test_punctuation_a_well_known_sign_never_carries_is_a_speck() -> None:
    assert _mend("Tricotosa circular Mayer &: Cie Relanit 3.2 HS") == (
        "Tricotosa circular Mayer & Cie Relanit 3.2 HS"
    )


def test_the_words_around_a_slip_choose_between_equally_near_known_words() -> None:
    known = [
        "Revisione della carda, compresi controllo dei giochi",
        "Control de vibraciones de la carda",
        "Taratura dei sensori del telaio",
        "Revisión en las instalaciones del cliente",
        "Revisión de la carda",
    ]
    vocabulary = Vocabulary.from_descriptions(known * 3)
    assert vocabulary.mend("compresi controlo dei giochi").text == "compresi controllo dei giochi"
    assert vocabulary.mend("Taratura dei sensori det telaio").text == (
        "Taratura dei sensori del telaio"
    )
    assert vocabulary.mend("Revisión en tas instalaciones").text == "Revisión en las instalaciones"
    # Without words around it that tell, a short word stays as read.
    assert vocabulary.mend("det telaio").text == "det telaio"
    assert vocabulary.mend("Revisión controlo").text == "Revisión controlo"


def test_specks_after_a_word_that_always_ends_descriptions_are_dropped() -> None:
    assert _mend("Tornillería y material auxiliar 4") == "Tornillería y material auxiliar"
    assert _mend("Tornillería y material auxiliar og") == "Tornillería y material auxiliar"
    # A longer word never seen, or known words seen side by side, may be a new ending: kept.
    assert _mend("Tornillería y material auxiliar inox") == "Tornillería y material auxiliar inox"
    assert _mend("Tornillería y material auxiliar de la carda") == (
        "Tornillería y material auxiliar de la carda"
    )
    # Known words never seen after it, nor beside each other, are a stamp's: dropped.
    assert _mend("Tornillería y material auxiliar de") == "Tornillería y material auxiliar"
    assert _mend("Tornillería y material auxiliar en 2022 og a") == (
        "Tornillería y material auxiliar"
    )
    assert _mend("Taratura della carda 4") == "Taratura della carda 4"  # "carda n. 12" is known
    # Garbled words a stamp left after a known ending go too, with the specks beside them.
    assert _mend("Cadena de transporte, tramo de 1 m úí—_ AXATI") == (
        "Cadena de transporte, tramo de 1 m"
    )
    assert _mend("Tornillería y material auxiliar MMMM") == "Tornillería y material auxiliar"
    assert _mend("Minuteria e materiale di consumo 29/11/29") == "Minuteria e materiale di consumo"
    assert _mend("Tornillería y material auxiliar AXATI") == "Tornillería y material auxiliar AXATI"
    # After a whole known description a stamp's three-letter remnant goes too; not elsewhere.
    assert _mend("Grasa de litio EP2, cartucho 400 g loa") == "Grasa de litio EP2, cartucho 400 g"
    assert _mend("Carda Marzoli C701 loa") == "Carda Marzoli C701 loa"
    # Its numbers aside: "nº 7" is the machine "nº 12" was, another one.
    assert _mend("Carda Marzoli C701 nº 7 loa") == "Carda Marzoli C701 nº 7"


def test_the_short_last_words_ocr_lost_are_those_of_the_one_description_read_so() -> None:
    assert (
        _mend("Aceite lubricante ISO VG 68 (bidón 20") == "Aceite lubricante ISO VG 68 (bidón 20 l)"
    )
    assert _mend("Cadena de transporte, tramo de") == "Cadena de transporte, tramo de 1 m"
    assert _mend("Tornillería y material") == "Tornillería y material"  # "auxiliar": too long
    # Two descriptions start so, or one seen too seldom: nothing is put back.
    two = Vocabulary.from_descriptions(["Cadena tramo de 1 m", "Cadena tramo de 2 m"] * 3)
    assert two.mend("Cadena tramo de").text == "Cadena tramo de"
    seldom = Vocabulary.from_descriptions(["Cadena tramo de 1 m"] * 2)
    assert seldom.mend("Cadena tramo de").text == "Cadena tramo de"


def test_a_last_word_read_only_in_part_is_the_one_known_word_beginning_so() -> None:
    known = ["Cinta de lanza para telar de pinzas", "Cinta de lanza para telar de lanza"] * 3
    known += ["Mano de obra técnico especialista"] * 3
    vocabulary = Vocabulary.from_descriptions(known)
    assert vocabulary.mend("Cinta de lanza para telar de pi").text == known[0]
    assert vocabulary.mend('Mano de obra técnico espec"').text == known[-1]
    assert vocabulary.mend("Cinta de lanza para telar de p").text.endswith("de p")  # too short
    seldom = Vocabulary.from_descriptions(known[:2])
    assert seldom.mend("Cinta de lanza para telar de pi").text.endswith("de pi")


def test_a_parenthesis_whose_end_ocr_lost_is_closed_as_the_known_description_closes_it() -> None:
    known = ["Agujas de lengüeta (caja de 100 ud.)", "Horas en fin de semana (servicio urgente)"]
    vocabulary = Vocabulary.from_descriptions(known * 3)
    assert vocabulary.mend("Agujas de lengüeta (caja de 100 ud").text == known[0]
    assert vocabulary.mend("Horas en fin de semana (servicio urgente").text == known[1]
    assert vocabulary.mend("Horas en fin de semana servicio urgente").text == (
        "Horas en fin de semana servicio urgente"  # no parenthesis open: nothing to close
    )


def test_a_stamps_words_before_a_whole_known_description_are_dropped() -> None:
    assert _mend("¡y bh Grasa de litio EP2, cartucho 400 g") == "Grasa de litio EP2, cartucho 400 g"
    assert _mend("nico Carda Marzoli C701 nº 7") == "Carda Marzoli C701 nº 7"  # its number aside
    # Words seen side by side with it are a longer description; words before a description
    # never read whole are kept.
    assert _mend("Revisión de la carda Marzoli C701 nº 12") == (
        "Revisión de la carda Marzoli C701 nº 12"
    )
    assert _mend("nico Grasa de litio") == "nico Grasa de litio"
    # Seen whole once is enough where its first word begins descriptions well known.
    once = Vocabulary.from_descriptions(["Revisión del telar", "Revisión de la carda"] * 3)
    once.learn("Revisión de la tricotosa Stoll CMS 530 HP")
    assert once.mend("pore Revisión de la tricotosa Stoll CMS 530 HP").text == (
        "Revisión de la tricotosa Stoll CMS 530 HP"
    )


def test_a_known_word_spelt_with_another_languages_accents_takes_its_neighbours_spelling() -> None:
    known = ["Manodopera tecnico specializzato", "Mano de obra técnico especialista"] * 3
    vocabulary = Vocabulary.from_descriptions(known)
    assert vocabulary.mend("Manodopera técnico specializzato").text == known[0]
    assert vocabulary.mend("Mano de obra tecnico especialista").text == known[1]
    assert vocabulary.mend("Visita del técnico").text == "Visita del técnico"  # no neighbour known


def test_a_spelling_its_neighbours_do_not_tell_is_the_one_its_descriptions_words_use() -> None:
    known = []
    for n, name in enumerate(("a. ferrer", "j. puig", "p. vidal")):
        known.append(f"Pulizia del telaio (rapportino n. {n}1, tecnico: {name})")
        known.append(f"Limpieza del telar (parte de trabajo nº {n}2, técnico: {name})")
    vocabulary = Vocabulary.from_descriptions(known * 2)
    italian = "Pulizia del telaio (rapportino n. 77, {}: m. garcía)"
    assert vocabulary.mend(italian.format("técnico")).text == italian.format("tecnico")
    spanish = "Limpieza del telar (parte de trabajo nº 77, {}: m. garcía)"
    assert vocabulary.mend(spanish.format("técnico")).text == spanish.format("técnico")
    assert vocabulary.mend("Visita del técnico").text == "Visita del técnico"  # words tell none


def test_a_word_two_slips_off_is_the_one_known_word_seen_between_its_neighbours() -> None:
    known = ["Revisión del telar Itema R9500 nº 3", "Filtro de aire para tema"] * 3
    vocabulary = Vocabulary.from_descriptions(known)
    for read in ("lema", "ema", "terna"):  # "tema" is nearer, but never seen there
        assert vocabulary.mend(f"Revisión del telar {read} R9500 nº 3").text == known[0], read
    assert vocabulary.mend("Filtro de aire para lema").text == "Filtro de aire para tema"
    assert vocabulary.mend("Revisión del telar lema").text == "Revisión del telar tema"  # one side


def test_punctuation_between_two_words_always_seen_with_one_and_the_same() -> None:
    assert _mend("Cadena de transporte tramo de 1 m") == "Cadena de transporte, tramo de 1 m"
    assert _mend("Cadena de transporte; tramo de 1 m") == "Cadena de transporte, tramo de 1 m"
    assert _mend("Grasa de, litio") == "Grasa de litio"
    # A pair seen with several, or too seldom, keeps what was read; quotes are never moved.
    assert Vocabulary.from_descriptions(["a, b", "a b", "a, b"]).mend("a b").text == "a b"
    assert Vocabulary.from_descriptions(["a, b"] * 2).mend("a b").text == "a b"


def test_a_short_word_is_told_by_its_neighbours_once_they_are_mended() -> None:
    vocabulary = Vocabulary.from_descriptions(["Revisión en las instalaciones del cliente"] * 3)
    assert vocabulary.mend("Revisión en tas instataciones del cliente").text == (
        "Revisión en las instalaciones del cliente"
    )


def test_a_word_holding_a_letter_pair_ocr_may_merge_is_found_with_another_slip() -> None:
    vocabulary = Vocabulary.from_descriptions(["Pulizia tecnica programmata"] * 3)
    assert vocabulary.mend("Pubizia tecnica").text == "Pulizia tecnica"  # its "li" kept as read
    assert vocabulary.mend("Puhzia tecnica").text == "Pulizia tecnica"  # and read as one letter


def test_a_known_word_in_a_mix_of_cases_it_was_never_written_in() -> None:
    assert _mend("Aceite lubricante iSO VG 68") == "Aceite lubricante ISO VG 68"
    assert _mend("ACEITE LUBRICANTE") == "ACEITE LUBRICANTE"  # a header in capitals stays so


def test_mending_never_teaches_the_vocabulary_the_words_it_looked_up() -> None:
    vocabulary = Vocabulary.from_descriptions(KNOWN * 3)
    before = len(vocabulary)
    vocabulary.mend("Tornillería y material auxiliar og")  # looks "og" and "auxiliar" up
    vocabulary.mend("Xylofono og")  # looks "xylofono" up as the word before a speck
    assert len(vocabulary) == before
    assert vocabulary.mend("Zzz").text == "Zzz"


def test_known_words_read_without_the_spaces_between_them_are_split() -> None:
    vocabulary = Vocabulary.from_descriptions(["Kit de juntas tóricas", "Grasa de litio EP2"] * 3)
    assert vocabulary.mend("Kitdejuntastéricas").text == "Kit de juntas tóricas"  # and one slip
    assert vocabulary.mend("Grasa delitio EP2").text == "Grasa de litio EP2"
    # Words that split into known words never seen side by side stay as read.
    assert vocabulary.mend("Grasa litiode EP2").text == "Grasa litiode EP2"


# A hang (cubic in a word's length before the bounds) becomes a failure after this long; a
# bounded reading takes milliseconds.
_HANG_S = 10


def test_an_exact_description_of_a_100000_letter_word_is_learnt_without_hanging() -> None:
    memory = ReadingMemory.from_rows(KNOWN, [])
    data = InvoiceData(lines=[InvoiceLine(description="Revisión " + "a" * 100_000)])
    doc = ReadDocument("f.xml", "0" * 64, "einvoice", einvoice=data)
    with document_deadline(_HANG_S, "learning a long description"):
        extract_invoice(doc, memory)
    assert memory.vocabulary.mend("Revision periodica").text == "Revisión periódica"


def test_an_ocr_read_800_letter_word_is_kept_as_read_without_hanging() -> None:
    long_word = "b" * 800
    s = Sheet()
    items_table(s, [(f"Revision {long_word} tricotosa", "1", "100,00", "100,00")])
    s.totals([("Base imponible", "100,00")], y=260)
    doc = ReadDocument("f.pdf", "0" * 64, "ocr", pages=s.pages)
    with document_deadline(_HANG_S, "mending a long word"):
        data = extract_invoice(doc, ReadingMemory.from_rows(KNOWN, []))
    assert any(long_word in (line.description or "") for line in data.lines)


def test_stored_descriptions_with_long_words_build_the_memory_without_hanging() -> None:
    stored = [*KNOWN, "c" * 400, "Limpieza " + "d" * 800 + " del telar"]
    with document_deadline(_HANG_S, "building the reading memory"):
        memory = ReadingMemory.from_rows(stored * 3, [])
        mended = memory.vocabulary.mend("Limpieza " + "e" * 800 + " del telar")
    assert mended.text == "Limpieza " + "e" * 800 + " del telar"
    assert memory.vocabulary.mend("Tornilleria y material auxiliar").text == (
        "Tornillería y material auxiliar"
    )
