"""The local registry over the synthetic demo people, and `flask seed-demo`."""

from __future__ import annotations

import json

from flask import Flask

from app.db import Database
from app.id_numbers import is_valid_id_number
from app.selfservice.registry.demo import PEOPLE, seed_people
from app.selfservice.registry.service import InsuType, LocalRegistry, Relation


def test_seeding_twice_adds_nothing_the_second_time(database: Database) -> None:
    with database.session() as session:
        first = seed_people(session)
        assert seed_people(session) == []
    assert len(first) == len(PEOPLE)


def test_people_and_their_coverages(database: Database) -> None:
    with database.session() as session:
        seed_people(session)
        registry = LocalRegistry(session)
        worker = registry.find_by_certno(PEOPLE[0].certno)
        assert worker is not None
        employee = worker.coverage(InsuType.EMPLOYEE)
        assert employee is not None
        assert employee.insuplc_admdvs == "530100"
        assert employee.active
        moved = registry.get("DEMO0009")
        assert moved is not None
        resident = moved.coverage(InsuType.RESIDENT)
        assert resident is not None
        assert not resident.active  # ended in 玉溪; now 职工 in 楚雄
        assert registry.get("NOBODY") is None


def test_family_relations(database: Database) -> None:
    with database.session() as session:
        seed_people(session)
        registry = LocalRegistry(session)
        assert registry.relation("DEMO0001", "DEMO0004") is Relation.PARENT
        assert registry.relation("DEMO0004", "DEMO0001") is Relation.CHILD
        assert registry.relation("DEMO0001", "DEMO0005") is None


def test_seed_demo_prints_synthetic_people_as_json(db_app: Flask) -> None:
    result = db_app.test_cli_runner().invoke(args=["seed-demo", "--json"])
    assert result.exit_code == 0, result.output
    people = [json.loads(line) for line in result.output.splitlines()]
    assert len(people) == len(PEOPLE)
    assert all(is_valid_id_number(p["certno"]) for p in people)
    assert {
        "psn_no",
        "certno",
        "psn_name",
        "insutype",
        "insuplc_admdvs",
        "retired",
        "relatives",
    } <= set(people[0])
    summary = db_app.test_cli_runner().invoke(args=["seed-demo"])
    assert "demo-clerk / demo-clerk-password" in summary.output


def test_seed_demo_refuses_production(db_app: Flask) -> None:
    db_app.config["APP_ENV"] = "production"
    try:
        result = db_app.test_cli_runner().invoke(args=["seed-demo"])
    finally:
        db_app.config["APP_ENV"] = "development"
    assert result.exit_code != 0
