"""A plan's rating key: its RAG ratings in order, what each means, and how to read one typed loosely."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from knowledge.models import UserError

__all__ = ["COLOURS", "DEFAULT_KEY", "Rating", "RatingKey"]

#: Colour words a rating may be named or described by, and how charts and spreadsheets draw them.
COLOURS = {
    "blue": "#1f5fbf",
    "green": "#2e8540",
    "amber": "#f0a500",
    "yellow": "#e6c700",
    "orange": "#e87722",
    "red": "#c62828",
    "purple": "#6a1b9a",
    "grey": "#8a8a8a",
    "gray": "#8a8a8a",
    "black": "#222222",
}
_SPARE = ("#5c6bc0", "#00897b", "#8d6e63", "#78909c")
_COMPLETE_WORDS = re.compile(r"\b(complete|completed|done|closed|achieved|delivered|finished)\b", re.I)


def _colour_word(text: str) -> str | None:
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in COLOURS:
            return word
    return None


@dataclass(frozen=True)
class Rating:
    """One rating of a key: its name ("Amber"), what it means, its colour, whether it means done."""

    name: str
    meaning: str = ""
    colour: str = ""  # a colour word from COLOURS, or ""
    complete: bool = False

    @property
    def hex(self) -> str:
        """The colour to draw this rating in (grey when it has none)."""
        return COLOURS.get(self.colour, COLOURS["grey"])

    def label(self) -> str:
        """'Blue (complete)' or 'Amber'."""
        return f"{self.name} ({self.meaning})" if self.meaning else self.name


@dataclass(frozen=True)
class RatingKey:
    """The ratings a plan uses, from most favourable (complete) to least (red).

    The "worst" rating is the one coloured red (else the last); "on track" is the one coloured
    green (else the first that does not mean complete). Reports and questions use these roles,
    so a council may rename its ratings ("Off track=red") and still ask for "red actions".
    """

    ratings: tuple[Rating, ...]

    def __post_init__(self) -> None:
        if not self.ratings:
            raise UserError("a rating key needs at least one rating")
        names = [r.name.casefold() for r in self.ratings]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise UserError(f"the rating key names {', '.join(dupes)} more than once")

    # --- reading ---------------------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> RatingKey:
        """Read "Blue=complete,Green,Amber,Red" or "Done=blue complete,On track=green,Off track=red"."""
        ratings = []
        for n, entry in enumerate(p.strip() for p in text.split(",")):
            if not entry:
                continue
            name, _, meaning = (s.strip() for s in entry.partition("="))
            if not name:
                raise UserError(f"rating {n + 1} of {text!r} has no name; write NAME or NAME=MEANING")
            colour = _colour_word(name) or _colour_word(meaning) or ""
            words = f"{name} {meaning}"
            ratings.append(Rating(name, meaning, colour, bool(_COMPLETE_WORDS.search(words))))
        if not ratings:
            raise UserError('give the ratings in order, like "Blue=complete,Green,Amber,Red"')
        return cls(tuple(ratings))

    @classmethod
    def from_json(cls, text: str | None) -> RatingKey:
        """The key stored in the database (``DEFAULT_KEY`` when none is stored)."""
        if not text:
            return DEFAULT_KEY
        return cls(tuple(Rating(**r) for r in json.loads(text)))

    def to_json(self) -> str:
        """The key as stored in the database."""
        return json.dumps([r.__dict__ for r in self.ratings], ensure_ascii=False)

    # --- using -----------------------------------------------------------------------------------

    def names(self) -> list[str]:
        """The rating names in order."""
        return [r.name for r in self.ratings]

    def get(self, name: str | None) -> Rating | None:
        """The rating called exactly ``name`` (any case)."""
        if not name:
            return None
        folded = name.strip().casefold()
        return next((r for r in self.ratings if r.name.casefold() == folded), None)

    def find(self, text: str) -> Rating | None:
        """The rating ``text`` means, read loosely: its name in any case, its meaning ("on track"),
        its colour, "complete" for the rating that means complete, or an initial only one rating has."""
        word = " ".join(str(text).split()).strip(" .").casefold()
        if not word:
            return None
        exact = self.get(word)
        if exact:
            return exact
        by_meaning = [r for r in self.ratings if r.meaning.casefold() == word]
        if len(by_meaning) == 1:
            return by_meaning[0]
        by_colour = [r for r in self.ratings if r.colour and r.colour == word]
        if len(by_colour) == 1:
            return by_colour[0]
        if _COMPLETE_WORDS.fullmatch(word):
            done = [r for r in self.ratings if r.complete]
            if len(done) == 1:
                return done[0]
        if len(word) == 1:
            initial = [r for r in self.ratings if r.name[:1].casefold() == word]
            if len(initial) == 1:
                return initial[0]
        return None

    def describe(self) -> str:
        """The key in words: 'Blue (complete), Green, Amber, Red'."""
        return ", ".join(r.label() for r in self.ratings)

    def order(self, name: str | None) -> int:
        """Where ``name`` falls in the key (unrated and unknown ratings last)."""
        rating = self.get(name)
        return self.ratings.index(rating) if rating else len(self.ratings)

    def colour_of(self, name: str | None) -> str:
        """The colour to draw rating ``name`` in; a spare colour for one without a colour word."""
        rating = self.get(name)
        if rating is None:
            return COLOURS["grey"]
        if rating.colour:
            return rating.hex
        return _SPARE[self.ratings.index(rating) % len(_SPARE)]

    @property
    def worst(self) -> Rating:
        """The rating for actions off track: the one coloured red, else the last."""
        return next((r for r in self.ratings if r.colour == "red"), self.ratings[-1])

    @property
    def on_track(self) -> Rating | None:
        """The rating for actions on track: the one coloured green, else the first not complete."""
        green = next((r for r in self.ratings if r.colour == "green"), None)
        return green or next((r for r in self.ratings if not r.complete), None)

    def is_complete(self, name: str | None) -> bool:
        """True when rating ``name`` means the action is done."""
        rating = self.get(name)
        return bool(rating and rating.complete)


DEFAULT_KEY = RatingKey.parse("Blue=complete,Green=on track,Amber=at risk,Red=off track")
