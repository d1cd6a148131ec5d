"""Words of council business: stems, abbreviations, acronyms defined in pages, question words."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache, lru_cache
from types import MappingProxyType

from knowledge.text import snowball_stem

__all__ = [
    "ABBREVIATIONS",
    "SYNONYMS",
    "QUESTION_WORDS",
    "STOP_WORDS",
    "abbreviate",
    "content_words",
    "expand",
    "initials",
    "mine_definitions",
    "place_short_forms",
    "stem",
]

# --- stems -------------------------------------------------------------------------------------------

_APOSTROPHES = re.compile(r"['’‘`]")
_ISE = re.compile(r"^(?P<root>[^\W\d_]{3,})i[sz](?:e|es|ed|ing|er|ers|able|ation|ations|ational)$")
_YSE = re.compile(r"^(?P<root>[^\W\d_]{2,})y[sz](?:is|e|es|ed|ing|er|ers|able)$")
# Words whose "-ise" is part of the root, not the verb suffix: never spelt "-ize", never stripped.
_ISE_ROOTS = frozenset(
    "advertise chastise circumcise compromise enterprise exercise expertise franchise improvise likewise "
    "merchandise otherwise paradise supervise surprise televise treatise clockwise appraise".split()
)
# Snowball's English stemmer starts R1 after these prefixes (so "organ" does not absorb "organise").
_R1_PREFIXES = ("gener", "commun", "arsen", "past", "univers", "later", "emerg", "organ")
_VOWELS = frozenset("aeiouy")


def _region_after(word: str, start: int) -> int:
    """Where the region after the first non-vowel following a vowel (from start) begins."""
    for i in range(start + 1, len(word)):
        if word[i] not in _VOWELS and word[i - 1] in _VOWELS:
            return i + 1
    return len(word)


def _r2(word: str) -> int:
    r1 = next((len(p) for p in _R1_PREFIXES if word.startswith(p)), None)
    return _region_after(word, r1 if r1 is not None else _region_after(word, 0))


def _fold_ise(word: str) -> str | None:
    """The stem of an -ise/-ize/-yse word, one spelling for both; None when the word is not one."""
    if m := _YSE.match(word):
        return m["root"] + "ys"
    m = _ISE.match(word)
    if not m or any((m["root"] + "ise").endswith(r) for r in _ISE_ROOTS):
        return None
    root = m["root"]
    # Snowball's own rule for "-ize": the suffix goes when it lies in R2 ("apologise" -> "apolog",
    # like "apology"), and stays otherwise ("realise" keeps its suffix, so it never meets "real").
    return snowball_stem(root) if len(root) >= _r2(root + "is") else root + "is"


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A word's stem for matching: Snowball English, with British and American -ise/-ize forms folded."""
    w = _APOSTROPHES.sub("", re.sub(r"['’]s$", "", word.strip().lower()))
    if not w.isalpha():
        return w
    w = _IRREGULAR.get(w, w)
    return _fold_ise(w) or snowball_stem(w)


#: Irregular past forms minutes use for what members ask in the present ("undertook" for "undertake").
_IRREGULAR = {
    past: base
    for base, forms in {
        "undertake": "undertook undertaken", "take": "took taken", "give": "gave given", "make": "made",
        "bring": "brought", "seek": "sought", "tell": "told", "hold": "held", "meet": "met",
        "choose": "chose chosen", "begin": "began begun", "write": "wrote written", "speak": "spoke spoken",
        "rise": "rose risen", "fall": "fell fallen", "withdraw": "withdrew withdrawn", "draw": "drew drawn",
        "buy": "bought", "sell": "sold", "pay": "paid", "lead": "led",
    }.items()
    for past in forms.split()
}


# --- abbreviations -----------------------------------------------------------------------------------

#: General local-government abbreviations (lower case) and what they stand for.
ABBREVIATIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "a&e": ("accident and emergency",),
        "aob": ("any other business",),
        "ap": ("alternative provision",),
        "asb": ("antisocial behaviour", "anti social behaviour"),
        "asc": ("adult social care",),
        "ccg": ("clinical commissioning group",),
        "covid": ("coronavirus", "pandemic", "covid-19"),
        "cil": ("community infrastructure levy",),
        "cin": ("child in need", "children in need"),
        "cla": ("children looked after",),
        "cllr": ("councillor",),
        "cllrs": ("councillors",),
        "clr": ("councillor",),
        "cmte": ("committee",),
        "cp": ("child protection",),
        "cpp": ("child protection plan",),
        "cps": ("crown prosecution service",),
        "cqc": ("care quality commission",),
        "csc": ("children's social care",),
        "csp": ("community safety partnership",),
        "ctte": ("committee",),
        "cttee": ("committee",),
        "cyp": ("children and young people",),
        "dfe": ("department for education",),
        "dhsc": ("department of health and social care",),
        "dols": ("deprivation of liberty safeguards",),
        "dpi": ("disclosable pecuniary interest",),
        "dsg": ("dedicated schools grant",),
        "ehcna": ("education health and care needs assessment",),
        "ehcp": ("education health and care plan",),
        "eqia": ("equality impact assessment",),
        "exec": ("executive",),
        "foi": ("freedom of information",),
        "fsm": ("free school meals",),
        "fte": ("full time equivalent",),
        "gp": ("general practitioner",),
        "hmo": ("house in multiple occupation", "houses in multiple occupation"),
        "hnb": ("high needs block",),
        "hns": ("high needs",),
        "hra": ("housing revenue account",),
        "hwb": ("health and wellbeing board", "health and wellbeing"),
        "hwbb": ("health and wellbeing board",),
        "icb": ("integrated care board",),
        "icp": ("integrated care partnership",),
        "ics": ("integrated care system",),
        "ilacs": ("inspection of local authority children's services",),
        "jsna": ("joint strategic needs assessment",),
        "kpi": ("key performance indicator",),
        "la": ("local authority",),
        "lac": ("looked after children", "looked after child"),
        "lado": ("local authority designated officer",),
        "lga": ("local government association",),
        "lgbce": ("local government boundary commission for england",),
        "lgsco": ("local government and social care ombudsman",),
        "lscp": ("local safeguarding children partnership",),
        "mhclg": ("ministry of housing communities and local government",),
        "mp": ("member of parliament",),
        "mtfp": ("medium term financial plan",),
        "mtfs": ("medium term financial strategy",),
        "neet": ("not in education employment or training",),
        "nhs": ("national health service",),
        "nppf": ("national planning policy framework",),
        "o&s": ("overview and scrutiny",),
        "ofsted": ("office for standards in education children's services and skills",),
        "osc": ("overview and scrutiny committee", "overview and scrutiny"),
        "osmb": ("overview and scrutiny management board",),
        "oss": ("overview and scrutiny",),
        "pcc": ("police and crime commissioner",),
        "pcp": ("police and crime panel",),
        "pds": ("policy development and scrutiny",),
        "pfcc": ("police fire and crime commissioner",),
        "pfi": ("private finance initiative",),
        "rag": ("red amber green",),
        "s106": ("section 106", "section 106 agreement"),
        "s151": ("section 151 officer", "section 151"),
        "sab": ("safeguarding adults board",),
        "sar": ("safeguarding adults review", "subject access request"),
        "sen": ("special educational needs",),
        "senco": ("special educational needs coordinator",),
        "send": ("special educational needs and disabilities", "special educational needs and disability"),
        "spd": ("supplementary planning document",),
        "tor": ("terms of reference",),
        "tro": ("traffic regulation order",),
        "uasc": ("unaccompanied asylum seeking children",),
        "yjs": ("youth justice service",),
        "yos": ("youth offending service",),
    }
)
#: Words council minutes use for the same thing, each expanded to the others: exempt (Part 2)
#: business is called confidential or restricted as often as exempt ("private" is too common a word).
_SAME = (("confidential", "exempt", "restricted", "part 2"),)
SYNONYMS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {w: tuple(o for o in group if o != w) for group in _SAME for w in group if " " not in w}
)
# Abbreviations whose "+s" form is an ordinary word, not a plural ("sends", "rags").
_NO_PLURAL = frozenset({"send", "rag"})
_PHRASE_WORD = re.compile(r"[^\W_]+")


def _abbreviation_key(word: str) -> str:
    return re.sub(r"[\s.'’]", "", word.lower())


def _phrase_key(phrase: str) -> tuple[str, ...]:
    text = _APOSTROPHES.sub("", phrase.lower().replace("&", " and "))
    return tuple(stem(w) for w in _PHRASE_WORD.findall(text))


@cache
def _by_phrase() -> Mapping[tuple[str, ...], tuple[str, ...]]:
    index: dict[tuple[str, ...], list[str]] = {}
    for short, longs in ABBREVIATIONS.items():
        for long in longs:
            names = index.setdefault(_phrase_key(long), [])
            if short not in names:
                names.append(short)
    return MappingProxyType({k: tuple(v) for k, v in index.items()})


def expand(word: str) -> tuple[str, ...]:
    """What an abbreviation stands for ("cyp", "CLLRs", "s.151"), or the words minutes use for the
    same thing ("confidential": exempt, restricted ...); empty when there are none."""
    key = _abbreviation_key(word)
    if key in SYNONYMS:
        return SYNONYMS[key]
    if key in ABBREVIATIONS:
        return ABBREVIATIONS[key]
    if key.endswith("s") and key[:-1] in ABBREVIATIONS and key[:-1] not in _NO_PLURAL:
        return ABBREVIATIONS[key[:-1]]
    return ()


def abbreviate(phrase: str) -> tuple[str, ...]:
    """The abbreviations of a phrase ("Children's Social Care" -> "csc"), matched on stems."""
    joined, split = _phrase_key(phrase.replace("-", "")), _phrase_key(phrase.replace("-", " "))
    return _by_phrase().get(joined) or _by_phrase().get(split, ())


# --- acronyms defined in a page (Schwartz and Hearst, 2003) --------------------------------------------

_PAREN = re.compile(r"\(([^()]{1,120})\)")
_SHORT_FORM = re.compile(r"^[^\W_][\w&/-]{1,9}$")
_SENTENCE_END = re.compile(r"[.;:!?\n\[\]()](?:\s|$)|\n")
_QUOTE_CHARS = "\"'“”‘’ "


def _short_form(text: str) -> str | None:
    """The text as an acronym ("HWB", "DfE", "O&S", "EHCPs" -> "EHCP"), or None when it is not one."""
    text = re.sub(r"^the\s+", "", text.strip(_QUOTE_CHARS), flags=re.I)
    text = re.sub(r"\s*&\s*", "&", text)
    if not _SHORT_FORM.match(text) or sum(c.isupper() for c in text) < 2:
        return None
    if text.endswith("s") and sum(c.isupper() for c in text[:-1]) >= 2 and text[-2].isupper():
        text = text[:-1]
    return text


def _long_form(short: str, words: list[str]) -> str | None:
    """The shortest tail of words spelling the short form, first letter at a word start (S&H)."""
    letters = [c for c in short.lower() if c.isalnum()]
    words = words[-min(len(letters) + 5, 2 * len(letters)) :]
    text = " ".join(words)
    low = text.lower()
    i = len(low) - 1
    for n, c in enumerate(reversed(letters)):
        first = n == len(letters) - 1
        while i >= 0 and (low[i] != c or (first and i > 0 and low[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
    found = " ".join(text[i + 1 :].replace(",", " ").replace("&", " and ").split()).strip(_QUOTE_CHARS)
    shorts = {short.lower(), short.lower() + "s"}
    if " " not in found or shorts & set(found.lower().split()):
        return None
    return found.lower()


def mine_definitions(text: str) -> dict[str, str]:
    """Acronyms a page defines, "Department for Education (DfE)" or "DfE (Department for Education)"."""
    found: dict[str, str] = {}
    for m in _PAREN.finditer(text):
        before = _SENTENCE_END.split(text[: m.start()])[-1].split()
        inner = m.group(1)
        short, words = _short_form(inner), before
        if short is None and before and len(inner.split()) > 1:
            short, words = _short_form(before[-1]), inner.split()
        if short is None or short.lower() in found:
            continue
        if (long := _long_form(short, words)) is not None:
            found[short.lower()] = long
    return found


# --- initialisms of names ----------------------------------------------------------------------------

_SMALL = frozenset({"and", "of", "the", "for", "in", "on", "at", "to", "a", "an"})
_PLACE = frozenset({"council", "borough", "county", "district", "city", "metropolitan", "royal"})
_BODY = frozenset({"committee", "sub-committee", "subcommittee", "panel", "council", "scrutiny"})


def _letters(words: list[str]) -> str:
    return "".join(w[0] for w in words if w[0].isalpha())


def place_short_forms(name: str) -> set[str]:
    """How people shorten a "-shire" place in a name: its first four or five letters and an s ("Wexcombeshire"
    -> "wexcs"), the way English counties are written in notes."""
    out = set()
    for word in re.findall(r"[a-z]+", name.lower()):
        if word.endswith("shire") and len(word) > 8:
            base = word[: -len("shire")]
            out |= {base[:k] + "s" for k in (4, 5) if len(base) >= k}
    return out


def initials(name: str) -> set[str]:
    """Initialisms people use for a council or body ("London Borough of Fenwick and Marsh" -> lbfm, fm)."""
    text = _APOSTROPHES.sub("", name.lower().replace("&", " and "))
    words = [w for w in re.findall(r"[^\W_]+(?:-[^\W_]+)*", text) if w not in _SMALL]
    found = {_letters(words)}
    trimmed = list(words)
    while trimmed and trimmed[-1] in _BODY:  # "... Scrutiny Committee" is also called by what it covers
        trimmed.pop()
        if trimmed and trimmed[-1] not in _PLACE:
            found.add(_letters(trimmed))
    for kept in (words, trimmed):  # and without the place words: "Fenwick and Marsh" -> fm
        kept = kept[2:] if kept[:2] == ["london", "borough"] else kept
        found.add(_letters([w for w in kept if w not in _PLACE]))
    return {f for f in found if len(f) >= 2}


# --- words of a question -----------------------------------------------------------------------------

#: Common English words that never carry a topic.
STOP_WORDS = frozenset(
    """a about above after again against all am an and and/or any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his i if in into is it its itself just me more most
    my myself no nor not now of off on once only or other our ours ourselves out over own same she should
    so some such than that the their theirs them themselves then there these they this those through to
    too under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves also ever etc eg ie im ive id dont didnt doesnt isnt wasnt werent cant wont
    couldnt shouldnt wouldnt arent hasnt havent hadnt thats theres whats whos youre theyre weve lets
    """.split()
)

#: Words that shape a councillor's question but are never its topic.
QUESTION_WORDS = frozenset(
    """what which who whom whose when where why how much many did do does done say says said saying tell
    told me us please pls plz about regarding re concerning any anything something was were there is are
    been get got getting discuss discussed discussing discussion discussions talk talked talking mention
    mentioned mentions decide decided resolve resolved agree agreed recommend recommended recommendation
    recommendations recs meeting meetings minutes covered consider considered considering
    happen happened happening know find show give summarise summarize summary explain update updates
    info details latest recent recently last previous ago ask asked asking raise raised
    could can would should you i we our anyone someone anybody somebody thing things bit lot kind sort
    going gonna goes happens put puts putting
    wat wot wht whta abt hear heard agenda agendas item items result results outcome outcomes due
    """.split()
)

_TOKEN = re.compile(r"£?\d+(?:[.,:]\d+)*(?:[/-]\d+)?(?:%|[^\W\d_]+)?|[^\W_]+(?:[&'\-][^\W_]+)*")


def content_words(question: str) -> list[str]:
    """The topic words of a question, lower case, in order, once each ("o&s", "s151", "£5m" kept whole)."""
    text = _APOSTROPHES.sub("'", question.lower())
    text = re.sub(r"\b([^\W\d_]) ?& ?([^\W\d_])\b", r"\1&\2", text)  # "o & s" -> "o&s"
    text = re.sub(r"\bs\. ?(\d)", r"s\1", text)  # "s.151" -> "s151"
    out: list[str] = []
    for token in _TOKEN.findall(text):
        word = re.sub(r"'s?$", "", token).replace("'", "")
        if word in STOP_WORDS or word in QUESTION_WORDS or token in STOP_WORDS or word in out:
            continue
        if len(word) > 1 or word.isdigit():
            out.append(word)
    return out
