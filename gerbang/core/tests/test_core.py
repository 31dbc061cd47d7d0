"""Shared pieces: encryption, validators, formatting, rate limits, logging."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime

import pytest
from cryptography.fernet import Fernet
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from gerbang.core import crypto, formatting
from gerbang.core.exceptions import ValidationError
from gerbang.core.logging import JsonFormatter, RequestIdFilter, request_id_var
from gerbang.core.ratelimit import Limit
from gerbang.core.validators import normalize_phone, validate_family_card, validate_nik


class TestCrypto:
    @given(st.text(min_size=1, max_size=200))
    def test_round_trip(self, text: str) -> None:
        token = crypto.encrypt(text)
        assert crypto.decrypt(token) == text

    def test_each_encryption_differs(self) -> None:
        assert crypto.encrypt("3171011708450001") != crypto.encrypt("3171011708450001")

    def test_key_rotation_keeps_old_data_readable(self, settings) -> None:
        # The local key file holds one key without a version: version 1 (see test_keys.py).
        old_key = settings.FIELD_ENCRYPTION_KEYS[0]
        token = crypto.encrypt("secret")
        settings.FIELD_ENCRYPTION_KEYS = [f"2:{Fernet.generate_key().decode()}", old_key]
        assert crypto.decrypt(token) == "secret"
        rotated = crypto.rotate(token)
        settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
        assert crypto.decrypt(rotated) == "secret"
        with pytest.raises(ValueError, match="Cannot decrypt"):
            crypto.decrypt(token)

    def test_blind_index_is_keyed_and_separated_by_purpose(self, settings) -> None:
        nik = "3171011708450001"
        first = crypto.blind_index(nik, purpose="nik")
        assert first == crypto.blind_index(nik, purpose="nik")
        assert first != crypto.blind_index(nik, purpose="passport")
        settings.BLIND_INDEX_KEY = "another-key"
        assert first != crypto.blind_index(nik, purpose="nik")


class TestValidators:
    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            ("123", "exactly 16 digits"),
            ("18110157089000ab", "digits only"),
            ("9911015708900001", "region code"),
            ("1811013213900001", "region code or birth date"),
        ],
    )
    def test_bad_nik(self, raw: str, message: str) -> None:
        with translation.override("en"), pytest.raises(ValidationError, match=message):
            validate_nik(raw)

    def test_nik_with_spaces_is_normalised(self) -> None:
        assert validate_nik("1811 0157 0890 0001") == "1811015708900001"

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            ("181101200110", "exactly 16 digits"),
            ("1811-0120-0110-000x", "digits only"),
            ("9911012001100003", "region code or issue date"),
            ("1811013102100003", "region code or issue date"),
            ("1811012913100003", "region code or issue date"),
        ],
    )
    def test_bad_family_card(self, raw: str, message: str) -> None:
        with translation.override("en"), pytest.raises(ValidationError, match=message):
            validate_family_card(raw)

    def test_family_card(self) -> None:
        assert validate_family_card("1811 0120 0110 0003") == "1811012001100003"
        # Issued on 29 February 2000, a leap day; no 40 is added to a card's day.
        assert validate_family_card("1811012902000003") == "1811012902000003"
        with pytest.raises(ValidationError):
            validate_family_card("1811016001100003")

    def test_nik_birth_date_and_sex(self) -> None:
        assert validate_nik("1811011708900001", date_of_birth=date(1990, 8, 17), sex="M")
        assert validate_nik("1811015708900001", date_of_birth=date(1990, 8, 17), sex="F")
        with pytest.raises(ValidationError):
            validate_nik("1811011708900001", sex="F")
        with pytest.raises(ValidationError):
            validate_nik("1811011708900001", date_of_birth=date(1991, 8, 17))

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("0812-3456-7890", "+6281234567890"),
            ("+62 812 3456 7890", "+6281234567890"),
            ("6281234567890", "+6281234567890"),
            ("(021) 555 1234", "+62215551234"),
            ("+60 12 345 6789", "+60123456789"),
            ("", ""),
        ],
    )
    def test_phone_normalised_to_e164(self, raw: str, expected: str) -> None:
        assert normalize_phone(raw) == expected

    @pytest.mark.parametrize("raw", ["812345", "08123", "+62 0812 3456 7890", "0812abc45678", "+1234"])
    def test_bad_phone(self, raw: str) -> None:
        with pytest.raises(ValidationError):
            normalize_phone(raw)


class TestFormatting:
    def test_rupiah_per_locale(self) -> None:
        with translation.override("id"):
            assert formatting.rupiah(350000) == "Rp 350.000"
            assert formatting.rupiah(1000000) == "Rp 1.000.000"
            assert formatting.rupiah(0) == "Rp 0"
        with translation.override("en"):
            assert formatting.rupiah(350000) == "Rp 350,000"
        assert formatting.rupiah(-5000).startswith("-Rp")

    def test_times_in_office_zones(self) -> None:
        moment = datetime(2026, 11, 23, 3, 30, tzinfo=UTC)
        assert formatting.in_zone(moment, "Asia/Jakarta").hour == 10
        assert formatting.in_zone(moment, "Asia/Makassar").hour == 11
        assert formatting.in_zone(moment, "Asia/Jayapura").hour == 12
        assert [
            formatting.zone_abbreviation(z) for z in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
        ] == [
            "WIB",
            "WITA",
            "WIT",
        ]

    def test_office_time_filter(self) -> None:
        from gerbang.core.templatetags.gerbang import office_time

        moment = datetime(2026, 11, 23, 3, 30, tzinfo=UTC)
        with translation.override("id"):
            assert office_time(moment, "Asia/Makassar").endswith("11.30 WITA")  # Indonesian writes 11.30


class TestRateLimit:
    def test_counts_and_blocks(self) -> None:
        limit = Limit("test", 3, 60)
        assert not limit.exceeded("a")
        for expected in (1, 2, 3):
            assert limit.hit("a") == expected
        assert limit.exceeded("a")
        assert not limit.exceeded("b")
        limit.reset("a")
        assert not limit.exceeded("a")


class TestLogging:
    def _record(self, **extra: object) -> logging.LogRecord:
        record = logging.LogRecord("gerbang.test", logging.INFO, __file__, 1, "hello %s", ("world",), None)
        for key, value in extra.items():
            setattr(record, key, value)
        return record

    def test_json_lines_carry_the_request_id(self) -> None:
        token = request_id_var.set("abc123def456")
        try:
            record = self._record(status=200)
            RequestIdFilter().filter(record)
            line = JsonFormatter().format(record)
        finally:
            request_id_var.reset(token)
        entry = json.loads(line)
        assert entry["message"] == "hello world"
        assert entry["request_id"] == "abc123def456"
        assert entry["status"] == 200
        assert entry["level"] == "INFO"
        assert "\n" not in line
