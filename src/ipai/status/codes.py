"""What a legal event means for the right: event codes → effects.

The codes are the offices' own, as INPADOC carries them (EPO "legal event code descriptions",
``patent-client-fixtures/epo/ops/legal/fixtures/legal_code_descriptions_202417.xlsx``: authority,
code, influence and the INPADOC event class A–Z). :data:`CODES` holds the codes that decide a
status, written from that list (``tests/status`` checks every entry against its documented class):

- CNIPA (CN): every code of classes B, C, F, G, H, K and the procedure codes;
- EPO (EP): withdrawal/refusal (18x), opposition (26x/27x/PLxx), grant (GRAA), state lapses and
  fees (PG25/PGFP/PGRI), and the B-publication INID codes the EPO XML reader stores (B450 …);
- USPTO (US), JPO (JP), KIPO (KR), WIPO (WO), and the national codes of EPC states that INPADOC
  reports for European patents (``GB.FG4D``, ``IE.MM4A``, ``CH.PL`` …).

Deliberate departures from the documented class (each a code whose class says less than its
meaning for the status): EP GRAU (class F, but only the applicant's approval of the text: the
grant is the later mention, GRAA), US STPP (class Z: the status of a pending application), US FEPP
(class U: entity-status changes, no fee that keeps the right), WO WWG/WWR/WWW/ENPW (what national
offices did: the international application itself neither gains nor loses a right).

A code not in the table is read from its description (:data:`RULES`, English and Chinese
keywords in a fixed order). An EP event whose description starts with a country (``GB: …``) or
that names a country other than the office concerns that state only (:func:`classify` returns it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# effects, from the right's point of view
PROCEDURE = "procedure"  # filed, published, examined: the application is pending
GRANT = "grant"
WITHDRAWN = "withdrawn"  # an application withdrawn, deemed withdrawn or abandoned
WITHDRAWN_ISSUE = "withdrawn-issue"  # a patent withdrawn from issue (US): never in force
REFUSED = "refused"
LAPSED = "lapsed"  # the right ceased: fees not paid, surrendered, abandoned
EXPIRED = "expired"  # the term ended
REVOKED = "revoked"  # revoked or invalidated as a whole
PARTIAL = "partial"  # revoked or invalidated in part: the rest stays
REVIVED = "revived"  # re-established, reinstated, restored
MAINTAINED = "maintained"  # an annual/renewal/maintenance fee paid
STATE_VALID = "state-valid"  # a European patent takes effect in a state
STATE_LAPSED = "state-lapsed"  # … has lapsed in a state
REVIEW = "review"  # opposition, invalidation, IPR/PGR, re-examination requested
REVIEW_OK = "review-ok"  # no opposition, opposition rejected or withdrawn, patent maintained
EXTENSION = "extension"  # term extension, adjustment, SPC
NEUTRAL = "neutral"  # party changes, licences, corrections: no effect on the status

EFFECTS = (
    PROCEDURE,
    GRANT,
    WITHDRAWN,
    WITHDRAWN_ISSUE,
    REFUSED,
    LAPSED,
    EXPIRED,
    REVOKED,
    PARTIAL,
    REVIVED,
    MAINTAINED,
    STATE_VALID,
    STATE_LAPSED,
    REVIEW,
    REVIEW_OK,
    EXTENSION,
    NEUTRAL,
)
# INPADOC event classes an effect is documented under (the check of CODES against the EPO list)
CLASSES: dict[str, str] = {
    PROCEDURE: "ADQTWPBE",
    GRANT: "FW",
    WITHDRAWN: "BHL",
    WITHDRAWN_ISSUE: "HL",
    REFUSED: "BL",
    LAPSED: "HB",
    EXPIRED: "H",
    REVOKED: "HL",
    PARTIAL: "MH",
    REVIVED: "CK",
    MAINTAINED: "UM",
    STATE_VALID: "WF",
    STATE_LAPSED: "H",
    REVIEW: "LVM",
    REVIEW_OK: "LM",
    EXTENSION: "GH",
    NEUTRAL: "RSTWYZ",
}


def _codes(effect: str, codes: str) -> dict[str, str]:
    return {c: effect for c in codes.split()}


CODES: dict[str, dict[str, str]] = {
    "CN": {
        **_codes(PROCEDURE, "BB1A C06 C10 PB01 SE01 EXSB DE01 CI01 CU03"),
        **_codes(GRANT, "C14 C61 FG1K FG4A GR01 GR03 GRSP CGPU"),
        **_codes(WITHDRAWN, "C01 C02 C03 C04 C05 WD01 WW01"),
        **_codes(REFUSED, "C12 RJ01"),
        **_codes(LAPSED, "AD01 AR01 AV01 C17 C19 C20 C25 CE01 CF01 MA1K MM1K MM4A RGAV"),
        **_codes(EXPIRED, "CX01 EXPY MK1K MK4A"),
        **_codes(REVOKED, "C28 IW01 RW01"),
        **_codes(PARTIAL, "AV02 C26 C32 C35 IP01 RP01"),
        **_codes(REVIVED, "C49 C52 RA01 REIN RR01"),
        **_codes(EXTENSION, "C15 RN01 TG01 TP01"),
    },
    "EP": {
        **_codes(PROCEDURE, "17P 17Q AK AX PUAI RIC1 INTG GRAG GRAH GRAU B241 B242"),
        **_codes(GRANT, "GRAA B450"),
        **_codes(WITHDRAWN, "18D 18W"),
        **_codes(REFUSED, "18R"),
        **_codes(REVOKED, "27W PLDC"),
        **_codes(REVIVED, "18RA 18RR 28"),
        **_codes(STATE_LAPSED, "PG25 B475"),
        **_codes(MAINTAINED, "PGFP AKX"),
        **_codes(REVIEW, "26 PLBI B781"),
        # B477 (decision on opposition) is printed on the B2 that maintains the patent as amended
        **_codes(REVIEW_OK, "26N 26D 26U 27A 27C 27O PLBE PLBN PLBO PLBP B243 B477"),
    },
    # INPADOC codes, and the USPTO's own transaction codes (Patent Center / PEDS file wrappers):
    # EXP. "Expire Patent" = ended for a maintenance fee not paid; PMFG a late fee accepted (revived);
    # office actions (CTNF/CTFR: non-final/final rejection) leave the application pending
    "US": {
        **_codes(PROCEDURE, "STPP CTNF CTFR MCTNF MCTFR CTRS MCTRS"),
        **_codes(GRANT, "STCF"),
        **_codes(WITHDRAWN, "STCB"),
        **_codes(WITHDRAWN_ISSUE, "WDR WITHDRAWN"),
        **_codes(LAPSED, "FP LAPS STCH EXP."),
        **_codes(REVOKED, "FPB1 FPB2 FPB3"),
        **_codes(REVIVED, "STCC STCK PRDP REIN PMFG"),
        **_codes(REVIEW, "IPR PGR CBM RR CO STCL"),
        **_codes(REVIEW_OK, "CONR"),
        **_codes(EXTENSION, "355A 356 PTEG"),
        **_codes(NEUTRAL, "AS FEPP PTA PTAC"),  # PTA: its days are added to the expiry (ipai.status.term)
    },
    "JP": {
        **_codes(GRANT, "R150 R151"),
        **_codes(WITHDRAWN, "A045 A300 A761 A762"),
        **_codes(REFUSED, "A313"),
        **_codes(LAPSED, "ABAN CANC LAPF LAPS"),
        **_codes(EXPIRED, "EXPY"),
        **_codes(REVOKED, "R92 RVOP RVTR"),
        **_codes(EXTENSION, "R153"),
    },
    "KR": {
        **_codes(PROCEDURE, "E902 E90F"),  # notices of reasons for refusal: the application is still pending
        **_codes(GRANT, "B701 E701 GRNO GRNT REGI T701 X701 O071 O073"),
        **_codes(WITHDRAWN, "C193 SUBM U122 U123 WITB WITN WITR"),
        **_codes(REFUSED, "E601 O061 O063 S601 X091 X601 X70R"),
        **_codes(LAPSED, "LAPS"),
        **_codes(EXPIRED, "EXPY"),
        **_codes(REVOKED, "EXTG T601"),
        **_codes(REVIVED, "R401"),
        **_codes(REVIEW, "J204 Z031"),
        **_codes(EXTENSION, "A101 A102"),
    },
    "WO": {**_codes(WITHDRAWN, "WA"), **_codes(NEUTRAL, "ENPW WWG WWR WWW")},
    # national codes INPADOC reports for European patents (REG events: "Ref Legal Event Code")
    "AT": {"MM01": LAPSED, "REF": STATE_VALID},
    "BE": {"MM": LAPSED},
    "CH": {"PL": LAPSED, "EP": STATE_VALID},
    "DE": {"R096": GRANT, "R097": REVIEW_OK, "R119": LAPSED},
    "ES": {"FG2A": GRANT, "MM4A": LAPSED},
    "FR": {"ST": LAPSED},
    "GB": {"FG4D": GRANT, "PCNP": LAPSED},
    "IE": {"FG4D": GRANT, "MM4A": LAPSED},
    "NL": {"MM": LAPSED, "V1": LAPSED},
}

# description keywords, tried in this order (the first that matches decides)
RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (effect, re.compile(rx))
    for effect, rx in (
        (NEUTRAL, r"CORRECT|ERRONEOUS|DELETED\b(?! DUE)|RECTIF|更正"),
        (
            EXTENSION,
            r"SUPPLEMENTARY PROTECTION|COMPLEMENTARY PROTECTION|\bSPC\b|TERM EXTENSION|TERM ADJUSTMENT|"
            r"EXTENSION OF (?:THE )?(?:PATENT )?TERM|期限补偿|期限延长",
        ),
        (
            REVIEW_OK,
            r"NO OPPOSITION|OPPOSITION (?:REJECTED|WITHDRAWN|FOUND INADMISSIBLE|DEEMED NOT)|"
            r"MAINTAINED (?:IN|AS) AMENDED|维持专利权有效|维持有效",
        ),
        (PARTIAL, r"PARTIAL(?:LY)? (?:REVOCATION|INVALIDATION|ABANDON|RENUNCIATION|SURRENDER)|部分无效"),
        (
            REVIEW,
            r"REQUEST (?:FOR|TO) (?:REVOCATION|INVALIDATION|NULLITY|LIMITATION|RE-?EXAMINATION)|TRIAL PROCEEDING|"
            r"INTER PARTES|POST-?GRANT REVIEW|RE-?EXAMINATION|OPPOSITION (?:HAS BEEN )?FILED|无效宣告请求|复审",
        ),
        (REVIVED, r"REINSTAT|RESTOR|RE-?ESTABLISH|REVIV|RESTITUT|REACTIVAT|ALLOWED TO PROCEED|恢复"),
        (
            REVOKED,
            r"\bREVOKED\b|REVOCATION|\bREVOKING\b|INVALIDAT|RULED INVALID|ANNUL|\bVOID\b|NULLIF|NULLITY|"
            r"CANCELLED ALL CLAIMS|全部无效|宣告无效|被无效",
        ),
        (EXPIRED, r"EXPIR|END OF (?:THE )?TERM|COMPLETION OF TERM|MAXIMUM LIFETIME|LAPSE OF TIME|届满|期满"),
        (PROCEDURE, r"NON-?FINAL|FINAL REJECTION|REASONS? FOR REFUSAL|OFFICE ACTION|审查意见"),  # not the end
        (REFUSED, r"REFUS|REJECT|DISMISS|驳回"),
        (WITHDRAWN, r"WITHDRAW|ABAND|SURRENDER|RENUNCIAT|WAIVER|DISCONTINU|撤回|放弃"),
        (
            LAPSED,
            r"LAPSE|CEASE|CESSATION|TERMINAT|EXTINCT|CANCELL?ED|CANCELLATION|NON-?PAYMENT|NOT PAYING|"
            r"FAILURE TO PAY|NOT VALID|TRANSLATION NOT FILED|终止|未缴",
        ),
        (REVIEW, r"OPPOSITION|\bTRIAL\b"),
        (
            PROCEDURE,
            r"INTENTION TO GRANT|IS INTENDED|GRANT FEE|EXTENSION OF TIME|PETITION|REQUEST\b.*\bGRANTED",
        ),
        (
            GRANT,
            r"\bGRANT|PATENTED CASE|REGISTRATION OF (?:THE )?(?:PATENT|UTILITY|DESIGN|ESTABLISHMENT)|"
            r"(?:PATENT|MODEL|DESIGN)\b.*\bREGISTERED|(?:PATENT|INVENTION)\b.*\bISSUED|PATENT SEALED|"
            r"DEFINITIVE PROTECTION|授权|授予",
        ),
        (MAINTAINED, r"(?:ANNUAL|RENEWAL|MAINTENANCE) FEE|FEE PAID|缴纳年费|年费"),
        (STATE_VALID, r"TAKES EFFECT|VALIDATED|VALIDATION"),
        (
            PROCEDURE,
            r"PUBLICATION|PUBLISHED|EXAMINATION|SEARCH REPORT|FILED|FILING|DESIGNATED|STATUS: |"
            r"公开|公布|实质审查|申请",
        ),
    )
)

REGIONAL = frozenset({"EP", "EA", "AP", "OA", "GC"})  # offices whose patents take effect state by state
_PREFIX = re.compile(r"^([A-Z]{2})\.(\S+)$")
_STATE_DESC = re.compile(r"^([A-Z]{2}):\s")
_STATUS_TEXT = re.compile(r"STATUS:\s*(.+)$", re.S)
_APPLICATION = re.compile(r"\bAPPLICATION\b|申请")
_RIGHT = re.compile(r"PATENT RIGHT|\bPATENT\b(?! APPLICATION)|专利权")


@dataclass(frozen=True)
class Effect:
    """An event's meaning: ``effect`` (one of :data:`EFFECTS`), for the whole right or, with
    ``state``, for one designated state of a regional patent; ``source`` says where the meaning came
    from (``code`` = the office's code list, ``text`` = the description's words)."""

    effect: str
    state: str | None = None
    source: str = "code"


def split_code(code: str) -> tuple[str | None, str]:
    """``EP.PG25`` → (``EP``, ``PG25``); ``CH.PL`` → (``CH``, ``PL``); ``PG25`` → (None, ``PG25``)."""
    c = code.strip().upper()
    m = _PREFIX.match(c)
    return (m.group(1), m.group(2)) if m else (None, c)


def from_text(text: str) -> str:
    """The effect its description gives an event (:data:`NEUTRAL` when no rule matches)."""
    t = text.upper()
    status = _STATUS_TEXT.search(t)  # EPO register status information ("STATUS: …")
    if status:
        t = status.group(1)
    for effect, rx in RULES:
        if rx.search(t):
            if effect in (LAPSED, REVOKED) and _APPLICATION.search(t) and not _RIGHT.search(t):
                return WITHDRAWN  # an application that lapsed or was declared void never became a right
            return effect
    return NEUTRAL


def classify(code: str, country: str | None, description: str | None, office: str) -> Effect:
    """The effect of one event on a document of ``office`` (the publication's country)."""
    auth, bare = split_code(code)
    country = (country or "").strip().upper() or None
    desc = (description or "").strip()
    office = office.upper()
    where = auth or country or office
    effect = CODES.get(where, {}).get(bare)
    if effect is None and auth is None and country and country != office:
        effect = CODES.get(office, {}).get(bare)  # PG25 with its state in ``country``
    source = "code"
    if effect is None or (bare in ("STAA", "STAD", "REG") and desc):
        effect, source = from_text(desc), "text"
    state = None
    if office in REGIONAL and effect not in (
        REVIEW,
        REVIEW_OK,
        PARTIAL,
        EXTENSION,
    ):  # oppositions: the whole patent
        m = _STATE_DESC.match(desc.upper())
        if m and m.group(1) != office:
            state = m.group(1)
        elif country and country != office:
            state = country
        elif auth and auth != office:
            state = auth
    if state is not None:  # one state of a regional patent: it lapsed there, or is in force there
        if effect in (LAPSED, EXPIRED, REVOKED, WITHDRAWN, STATE_LAPSED):
            return Effect(STATE_LAPSED, state, source)
        if effect in (GRANT, STATE_VALID, MAINTAINED, REVIVED):
            return Effect(STATE_VALID, state, source)
        return Effect(NEUTRAL, state, source)
    if effect == STATE_VALID or (effect == STATE_LAPSED and office in REGIONAL):
        return Effect(NEUTRAL, None, source)  # a state event that names no state
    if effect == STATE_LAPSED:
        return Effect(LAPSED, None, source)
    return Effect(effect, None, source)
