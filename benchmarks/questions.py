"""The fixed question mix of the benchmark: every intent, bodies (some misspelt), date forms, rare and
common topic words, and questions nothing answers. The label is the intent each question is meant to
exercise; the benchmark also reports what ``knowledge.answers.query.detect_intent`` made of it."""

from __future__ import annotations

__all__ = ["QUESTIONS"]

QUESTIONS: tuple[tuple[str, str], ...] = (
    # resolutions
    ("resolutions", "what did cabinet resolve in December 2022"),
    ("resolutions", "what did cabnet decide about the budget in 2021"),
    ("resolutions", "cabinet decisions on SEND since March 2023"),
    ("resolutions", "what did full council resolve in dec 22"),
    ("resolutions", "what did the audit committee approve between May and July 2022"),
    ("resolutions", "resolutions about recruitment"),
    ("resolutions", "what did planning committee decide about affordable housing in 2019"),
    ("resolutions", "what was agreed about ofsted in 2024"),
    ("resolutions", "what did the health and wellbeing board approve in 2015"),
    ("resolutions", "what did cabinet resolve about asbestos"),
    ("resolutions", "what did cabinet resolve about zeppelins"),
    # recommendations
    ("recommendations", "what did CYP scrutiny recommend in 2022"),
    ("recommendations", "recommendations of the children and young people scrutiny committee on placements"),
    ("recommendations", "what did adults scrutiny recommend about home care since March 2023"),
    ("recommendations", "scrutiny management board recommendations in 2021"),
    ("recommendations", "recs from cyp scrutny about recruitment"),
    ("recommendations", "what did the corporate parenting panel recommend between May and July 2022"),
    ("recommendations", "recommendations about the ombudsman"),
    ("recommendations", "what did audit recommend about the risk register in 2012"),
    ("recommendations", "what did environment scrutiny recommend on food waste in 2025"),
    # actions agreed
    ("actions", "what actions were agreed at the improvement board in dec 22"),
    ("actions", "actions agreed by cyp scrutiny about ofsted"),
    ("actions", "agreed actions on placements since March 2023"),
    ("actions", "what actions were agreed about recruitment in 2021"),
    ("actions", "actions agreed by the improvement board"),
    ("actions", "actions agreed about wildflower verges"),
    ("actions", "what actions were agreed by the fire authority"),
    ("actions", "actions agreed on caseloads between May and July 2022"),
    # discussion
    ("discussion", "what did members say about SEND transport"),
    ("discussion", "what concerns were raised about recruitment at cabinet in 2023"),
    ("discussion", "discussion of the budget at full council in February 2024"),
    ("discussion", "what did the improvement board discuss in december 2022"),
    ("discussion", "did anyone mention defibrillators"),
    ("discussion", "what was said about caseloads in CYP scrutiny since march 2023"),
    ("discussion", "concerns about agency social workers"),
    ("discussion", "what did the audit committee discuss about the treasury management strategy in 2020"),
    ("discussion", "what was discussed about placemnts"),
    ("discussion", "what did the board discuss about ofsted"),
    ("discussion", "what was said about the overspend in 2016"),
    # when / which meeting
    ("meeting", "when was SEND last considered by cabinet"),
    ("meeting", "which meeting considered the ofsted monitoring visit"),
    ("meeting", "when did the improvement board consider recruitment"),
    ("meeting", "which meetings covered placements in 2021"),
    ("meeting", "when did full council set the council tax"),
    ("meeting", "what date did planning committee consider the local plan"),
    ("meeting", "which meeting looked at japanese knotweed"),
    ("meeting", "when did cabinet consider quantum computing"),
    ("meeting", "when was the climate emergency action plan considered since March 2023"),
    # topic search
    ("topic", "SEND"),
    ("topic", "recruitment"),
    ("topic", "budget"),
    ("topic", "ofsted"),
    ("topic", "placements in 2022"),
    ("topic", "cabinet budget december 2022"),
    ("topic", "council tax since March 2023"),
    ("topic", "home care between May and July 2022"),
    ("topic", "children's services improvement plan"),
    ("topic", "recrutment of social workers"),
    ("topic", "ombudsman in 2021"),
    ("topic", "highways maintenance in 2010"),
    ("topic", "xylophone"),
    ("topic", "members"),
    ("topic", "report officers services"),
    ("topic", "graffiti"),
)
