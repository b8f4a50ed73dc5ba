"""What Rapport reads in a `/logcontact` text, as one JSON object: `rapport parse`.

Support answers "why did Rapport read my date like that?" by feeding the text to the same
readers the running app uses, as the member would have sent it (their day, time zone and
language), with no database and no network. The steps follow `LogContact`: the checks every
command passes first, the other commands `/logcontact` takes (help, settings, ownership), the
partner names the text may start with, the reader, and the question about a new partner.

When the text can be read more than one way, the app asks and stores nothing until the member
chooses. Here every question is listed with its readings, and reading goes on as if the first
reading of each had been chosen, so that later questions and the rest of the text show too; the
fields then hold that reading (the `questions` say which parts are open).
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from bot.parsing.checks import display_name, line_breaks
from bot.parsing.contact_text import (
    NEAR_PARTNERS,
    Choices,
    ContactDraft,
    NearPartner,
    ParseProblem,
    ShorterName,
    ambiguous_partner,
    begun_partners,
    check_command,
    first_word,
    is_help_request,
    known_partner_question,
    longer_spans,
    name_spans,
    near_lookups,
    new_partner_question,
    parse_logcontact,
    partner_line,
    several_partners_question,
    shorter_partners,
)
from bot.parsing.ownership_text import ownership_request
from bot.parsing.questions import NeedsAnswer, Question
from bot.parsing.settings_text import settings_text
from bot.texts.reader import Reader
from storage.vocabulary import (
    NAME_KEY_MAX_CHARS,
    extends,
    name_key,
    nearest,
    organisation_may_be,
)

# More questions than any text raises; a reader that asks again after its answer stops here.
MAX_QUESTIONS = 8
# What a line of `rapport parse` may start with, as pasted from Slack.
COMMAND_PREFIX = "/logcontact"


@dataclass(frozen=True)
class _Known:
    """A partner of the partners file: its name and organisation (None: none given), as keys
    too."""

    key: str
    organisation_key: str
    name: str
    organisation: str | None

    @property
    def label(self) -> str:
        """As Rapport shows the partner: "Jens Ohlsen (Nordwind GmbH)"."""
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class KnownPartners:
    """The partners to treat as existing, one a line, "Name" or "Name (Organisation)" as Rapport
    shows a partner (`partner_line`), looked up the way the database does: by `name_key`, by
    prefix for the names a text may start with, whole for "is it new?", and near for "did you
    mean" (`storage.vocabulary.nearest`, as `similar_partners` ranks). A partner's id is its
    line in the partners file (1 for the first); a line naming a partner of an earlier line
    (the same name and organisation, as keys compare them) is left out, as the database's
    unique keys would have it."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._by_id: dict[int, _Known] = {}
        seen: set[tuple[str, str]] = set()
        names: dict[str, str] = {}
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            name, organisation = partner_line(line)
            known = _Known(name_key(name), name_key(organisation), name, organisation)
            if (known.key, known.organisation_key) in seen:
                continue
            seen.add((known.key, known.organisation_key))
            self._by_id[number] = known
            names.setdefault(known.key, name)
        self._keys = sorted(names)
        self._names = [names[key] for key in self._keys]

    def starting_with(self, word: str | None) -> list[str]:
        """The names whose key begins with the key of `word` (`partners_starting_with`), each
        once, all of them: what `LogContact` reads in narrower reads past its limit
        (`candidates_for`)."""
        key = name_key(word)
        if not key:
            return []
        start = bisect.bisect_left(self._keys, key)
        end = start
        while end < len(self._keys) and self._keys[end].startswith(key):
            end += 1
        return self._names[start:end]

    def near(
        self,
        name: str,
        longer: Sequence[str],
        *,
        bare: bool,
        cut_short: Sequence[str] = (),
        organisation: str | None = None,
    ) -> list[NearPartner]:
        """The known partners a new name may have been meant as, as `LogContact` finds them:
        those of this name at an organisation like the typed one (`organisation_like`), those
        its cut-short readings begin, then those like the longest reading (with how many typed
        words name them), then those like the name as read, `NEAR_PARTNERS` at most."""
        spans = name_spans(longer, name, bare=bare)
        first = [*self.organisation_like(name, organisation), *self.cut_short(cut_short)]
        return self.near_spans(spans, first=first)

    def organisation_like(self, name: str, organisation: str | None) -> list[NearPartner]:
        """The known partners of this name at an organisation the typed one may mean
        (`storage.vocabulary.organisation_may_be`), as `LogContact` offers them before creating a
        second partner of the name."""
        if not organisation:
            return []
        key, typed = name_key(name), name_key(organisation)
        return [
            NearPartner(line, known.label)
            for line, known in self._by_id.items()
            if known.key == key and organisation_may_be(typed, known.organisation_key)
        ]

    def cut_short(self, readings: Sequence[str], known: Collection[int] = ()) -> list[NearPartner]:
        """The known partners whose names the cut-short `readings` begin
        (`PartnerRef.cut_short`), never one of `known`, as `LogContact` finds them among the
        candidates of the typed words (the names beginning so start with them)."""
        return begun_partners(readings, self._as_candidates(), known)

    def shorter(self, shorter: ShorterName | None) -> list[NearPartner]:
        """The known partners a known name's shorter one is, before a day or a quantity
        (`PartnerRef.shorter`), as `LogContact` finds them among the candidates of the typed
        words."""
        if shorter is None:
            return []
        return shorter_partners(shorter, self._as_candidates())

    def _as_candidates(self) -> list[tuple[int, str, str]]:
        """Every partner (line, name key, label) in the order `LogContact` reads candidates,
        by key then id, as the parser's look-ups among them take them."""
        entries = ((line, p.key, p.label) for line, p in self._by_id.items())
        return sorted(entries, key=lambda entry: (entry[1], entry[0]))

    def near_spans(
        self,
        spans: Sequence[tuple[str, int]],
        known: Collection[int] = (),
        *,
        first: Sequence[NearPartner] = (),
    ) -> list[NearPartner]:
        """The known partners like the typed names of `spans` (name, how many typed words it
        takes), after `first`, those like the first span first, never one of `known` nor a
        shorter name the typed words of a span run on from, `NEAR_PARTNERS` at most."""
        entries = [(line, p.key, p.organisation_key) for line, p in self._by_id.items()]
        found = {partner.partner_id: partner for partner in first}
        for typed, words in spans:
            key = name_key(typed)
            if not key or len(key) > NAME_KEY_MAX_CHARS:
                continue
            for line in nearest(key, entries, near_lookups(key, known)):
                if line not in known and not (words and extends(key, self._by_id[line].key)):
                    found.setdefault(line, NearPartner(line, self._by_id[line].label, words))
        return list(found.values())[:NEAR_PARTNERS]

    def named(self, name: str, organisation: str | None = None) -> list[NearPartner]:
        """The known partners of this name (as the key compares names), with an organisation
        only the one at that organisation (`partners_named`)."""
        key, organisation_key = name_key(name), name_key(organisation)
        if not key:
            return []
        return [
            NearPartner(line, known.label)
            for line, known in self._by_id.items()
            if known.key == key
            and (organisation is None or known.organisation_key == organisation_key)
        ]

    def __contains__(self, name: object) -> bool:
        key = name_key(name) if isinstance(name, str) else ""
        at = bisect.bisect_left(self._keys, key)
        return bool(key) and at < len(self._keys) and self._keys[at] == key


@dataclass(frozen=True)
class Explained:
    """One text as read: which command it is, the draft (a contact only), the questions it
    would raise in order, and the problem that refuses it (then no draft)."""

    command: str  # "logcontact", "help", "settings", "ownership", or "form" for an empty text
    draft: ContactDraft | None = None
    questions: tuple[Question, ...] = ()
    problem: ParseProblem | None = None


def explain(
    text: str,
    *,
    today: date,
    now: time | None,
    partners: KnownPartners,
    month_first: bool = False,
) -> Explained:
    """Read `text` as `/logcontact TEXT` sent by a member whose local day is `today` and time
    `now` (None: times of day are not checked against the clock), and whose locale writes
    numeric dates month first or not (`Reader.month_first`), as the app reads it."""
    if not text.strip():
        return Explained("form")
    try:
        check_command(text)
    except ParseProblem as problem:
        return Explained("logcontact", problem=problem)
    text = line_breaks(text)
    if is_help_request(text):
        return Explained("help")
    if settings_text(text) is not None:
        return Explained("settings")
    if ownership_request(text) is not None:
        return Explained("ownership")
    return _read_contact(text, today=today, now=now, partners=partners, month_first=month_first)


def _read_contact(
    text: str, *, today: date, now: time | None, partners: KnownPartners, month_first: bool
) -> Explained:
    names = partners.starting_with(first_word(text))
    answers: dict[str, str] = {}
    questions: list[Question] = []
    while len(questions) < MAX_QUESTIONS:
        try:
            draft = parse_logcontact(
                text,
                today=today,
                now=now,
                partner_names=names,
                answers=answers,
                month_first=month_first,
            )
            _ask_before_creating(draft, today, partners, answers)
        except ParseProblem as problem:
            return Explained("logcontact", questions=tuple(questions), problem=problem)
        except NeedsAnswer as needed:
            question = needed.question
            questions.append(question)
            if question.slot in answers or not question.readings:
                break  # asked again after its answer: no reading to show beyond this
            answers[question.slot] = question.readings[0].value
            continue
        return Explained("logcontact", draft=draft, questions=tuple(questions))
    return Explained("logcontact", questions=tuple(questions))


def _ask_before_creating(
    draft: ContactDraft, today: date, partners: KnownPartners, answers: dict[str, str]
) -> None:
    """The question `LogContact` asks before creating a partner, for a name not among the
    known partners."""
    ref = draft.partner
    if "partner" in answers or ref.name is None:
        return
    if known := partners.named(ref.name, ref.organisation):
        if not (ref.longer or ref.cut_short or ref.shorter):
            # As `LogContact`: no more words that could make a longer name; several partners
            # of the name and no organisation said are asked about.
            if question := several_partners_question(draft, known):
                raise NeedsAnswer(question)
            _refuse_several(ref.name, known)
            return
        ids = {partner.partner_id for partner in known}
        first = partners.cut_short(ref.cut_short, ids)
        near = partners.near_spans(longer_spans(ref.longer), ids, first=first)
        shorter = partners.shorter(ref.shorter)
        if question := known_partner_question(draft, known[:NEAR_PARTNERS], near, shorter):
            raise NeedsAnswer(question)
        _refuse_several(ref.name, known)
        return
    near = partners.near(
        ref.name,
        ref.longer,
        bare=not ref.quoted,
        cut_short=ref.cut_short,
        organisation=ref.organisation,
    )
    question = new_partner_question(draft, today, near)
    if question is not None:
        raise NeedsAnswer(question)


# --- as JSON ------------------------------------------------------------------------------------


def as_json(text: str, explained: Explained, reader: Reader) -> dict[str, Any]:
    """The object `rapport parse` prints for one line: dates as ISO strings, texts in the
    reader's language."""
    draft = explained.draft
    promise = draft.promise if draft else None
    return {
        "text": text,
        "command": explained.command,
        "partner": _partner(draft) if draft else None,
        "medium": draft.medium if draft else None,
        "kind": draft.kind if draft else None,
        "direction": draft.direction if draft else None,
        "when": _when(draft) if draft else None,
        "note": draft.note if draft else None,
        "promise": (
            {
                "text": promise.text,
                "due": _iso(getattr(promise, "due", None)),
                "by": promise.promised_by,
            }
            if promise
            else None
        ),
        "questions": [_question(q, reader) for q in explained.questions],
        "problem": _problem(explained.problem, reader) if explained.problem else None,
    }


def _partner(draft: ContactDraft) -> dict[str, str | None]:
    ref = draft.partner
    found: dict[str, str | None] = {"name": ref.name, "organisation": ref.organisation}
    if ref.mention_user_id:
        found = {"mention": ref.mention_user_id, "label": ref.mention_label, **found}
    return found


def _when(draft: ContactDraft) -> str:
    on, at = draft.when.on, draft.when.at
    return datetime.combine(on, at).isoformat(timespec="minutes") if at else on.isoformat()


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _question(question: Question, reader: Reader) -> dict[str, Any]:
    return {
        "slot": question.slot,
        "phrase": question.phrase,
        "reason": question.reason,
        "readings": [
            {
                "value": reading.value,
                "date": _iso(reading.day),
                "label": (
                    reader.t(reading.label, **reading.values)
                    if reading.label
                    else reader.day(reading.day)
                    if reading.day
                    else reading.value
                ),
            }
            for reading in question.readings
        ],
    }


def _refuse_several(name: str, known: Sequence[NearPartner]) -> None:
    """As `LogContact` refuses (`existing_partner`) a name several known partners share when
    no question asked which: more of them than a question offers (`SEVERAL_PARTNERS_MAX`).
    Read as plain instead, the line told support the contact would be logged."""
    if len(known) > 1:
        code, values = ambiguous_partner(display_name(name), (p.label for p in known))
        raise ParseProblem(code, **values)


def _problem(problem: ParseProblem, reader: Reader) -> dict[str, str]:
    """The code and the text the member would read, plain (the reply's mrkdwn escaping left
    out): dates in their language, times as on a 24-hour clock."""
    shown = {key: _shown(value, reader) for key, value in problem.details.items()}
    return {"code": problem.code, "message": reader.t(f"problem.{problem.code}", **shown)}


def _shown(value: object, reader: Reader) -> object:
    if isinstance(value, date):
        return reader.day(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Choices):
        return value.text(reader.t)
    return value


@dataclass(frozen=True)
class Undecodable:
    """A line of input that is no UTF-8 text: as far as it can be shown (each bad byte as
    U+FFFD), and where its first bad byte is (1-based, counted in bytes)."""

    shown: str
    byte: str  # "0xFF"
    position: int


def undecodable(line: Undecodable) -> Explained:
    """What `rapport parse` says about a line it cannot read: a problem of its own."""
    problem = ParseProblem("not_utf8", byte=line.byte, position=line.position)
    return Explained("logcontact", problem=problem)


def lines_of(stream: Iterable[str | bytes]) -> Iterable[str | Undecodable]:
    """The texts of `stream`, one a line, without the line break and without a leading
    `/logcontact` pasted along with the text. Bytes are read as UTF-8 whatever the locale; a
    line that is not UTF-8 (or text carrying a lone surrogate, which no UTF-8 holds) comes as
    `Undecodable`, and the lines after it are read on."""
    for raw in stream:
        line = _decoded(raw)
        if isinstance(line, Undecodable):
            yield line
            continue
        text = line.rstrip("\r\n")
        head, _, rest = text.lstrip().partition(" ")
        yield rest if head == COMMAND_PREFIX else ("" if text.strip() == COMMAND_PREFIX else text)


def _decoded(raw: str | bytes) -> str | Undecodable:
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        shown = data.decode("utf-8", "replace").rstrip("\r\n")
        return Undecodable(shown, f"0x{data[error.start]:02X}", error.start + 1)
