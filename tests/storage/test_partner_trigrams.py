"""The trigram side table on both backends: kept in step with partners created, renamed and
removed, and "did you mean" found through it without the first letter right."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from storage.db import Database
from storage.models import Partner, PartnerTrigram, Workspace
from storage.queries.partners import add_partner, rename_partner, similar_partners
from storage.vocabulary import name_trigrams

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)


def _stored(session, partner_id: int) -> dict[str, int]:
    rows = session.execute(
        select(PartnerTrigram.trigram, PartnerTrigram.weight).where(
            PartnerTrigram.partner_id == partner_id
        )
    ).all()
    return dict(rows)


def _workspace(session, team: str) -> int:
    workspace = Workspace(team_id=team, created_at=NOW)
    session.add(workspace)
    session.flush()
    return workspace.id


def test_trigrams_follow_each_partner_created_renamed_and_removed(db: Database) -> None:
    with db.transaction() as session:
        workspace_id = _workspace(session, "T0ONE")
        partner = add_partner(
            session, workspace_id, name="Müller AG", organisation=None, owner_id=None, now=NOW
        )
        assert partner is not None
        assert _stored(session, partner.id) == name_trigrams("mueller ag")
        again = add_partner(
            session, workspace_id, name="MUELLER AG", organisation=None, owner_id=None, now=NOW
        )
        assert again is None, "one key, one partner"

        rename_partner(session, partner, "Schmidt Logistik", "Nordwind")
        assert (partner.name_key, partner.organisation_key) == ("schmidt logistik", "nordwind")
        assert _stored(session, partner.id) == name_trigrams("schmidt logistik")

        session.delete(partner)
        session.flush()
        assert session.scalars(select(PartnerTrigram)).all() == []


def test_did_you_mean_finds_slips_anywhere_and_stays_in_its_workspace(db: Database) -> None:
    with db.transaction() as session:
        one, other = _workspace(session, "T0ONE"), _workspace(session, "T0TWO")
        for workspace_id, name, organisation in [
            (one, "Müller AG", None),
            (one, "Schmidt Logistik", None),
            (one, "Jens Ohlsen", "Nordwind"),
            (one, "Anna Schmidt", None),
            (other, "Müller", None),
        ]:
            add_partner(
                session,
                workspace_id,
                name=name,
                organisation=organisation,
                owner_id=None,
                now=NOW,
            )

        def near(typed: str) -> list[str]:
            return [p.name for p in similar_partners(session, one, typed)]

        assert near("Nüller AG") == ["Müller AG"]  # the first letter wrong
        assert near("Müler") == ["Müller AG"]  # a letter left out, of the first word
        assert near("Mueller") == ["Müller AG"]  # the first word, transliterated
        # The name it begins first, then the person of that surname.
        assert near("Schmidt") == ["Schmidt Logistik", "Anna Schmidt"]
        assert near("Ohlsen") == ["Jens Ohlsen"]  # a surname, whole
        assert near("Herr Ohlsen") == ["Jens Ohlsen"]  # after an honorific
        assert near("Frau Schmidt") == ["Anna Schmidt"]  # a person: not the company
        assert near("Ohlson") == []  # a slipped surname is not looked for
        assert near("Schmidt Logistik Nord") == ["Schmidt Logistik"]  # a shorter name it extends
        assert near("Schmidt Log") == ["Schmidt Logistik"]  # its last word cut short
        assert near("Nordw") == []  # an organisation is offered by its whole name only
        assert near("Nordwind") == ["Jens Ohlsen"]  # an organisation of this name
        assert near("Müller AG") == []  # exactly a partner's name: that one is meant
        assert near("Globex") == []
        assert [p.name for p in similar_partners(session, other, "Müler")] == ["Müller"]
        all_ids = session.scalars(select(Partner.id)).all()
        assert len(all_ids) == 5


def test_did_you_mean_finds_a_name_with_a_space_left_out_or_put_in(db: Database) -> None:
    with db.transaction() as session:
        one = _workspace(session, "T0ONE")
        for name in ("Globex", "Globex 2", "Acme Corp", "Müller 3", "B2B Partner", "Filiale 1"):
            add_partner(session, one, name=name, organisation=None, owner_id=None, now=NOW)

        def near(typed: str) -> list[str]:
            return [p.name for p in similar_partners(session, one, typed)]

        assert near("Globex2")[:1] == ["Globex 2"]  # the trigram look-up finds it, first
        assert near("GLOBEX2")[:1] == ["Globex 2"]
        assert near("AcmeCorp") == ["Acme Corp"]
        assert near("Müller3") == ["Müller 3"]
        assert near("B2BPartner") == ["B2B Partner"]
        assert near("B2B-Partner") == []  # the same name: that one is meant
        assert "Globex 2" not in near("Globex-2")
        assert "Filiale 1" not in near("Filiale12")
