"""QRIS payloads: EMVCo merchant-presented QR (MPM) in tag-length-value form, with the
CRC-16/CCITT-FALSE checksum in tag 63.

A dynamic payload (tag 01 = "12") carries the amount of one bill; the bill's reference travels
in the additional data (tag 62, sub-tag 01 "bill number"), so the provider's notification can
name the bill that was paid.
"""

from __future__ import annotations

from dataclasses import dataclass

# Tags of the EMVCo MPM specification used here.
PAYLOAD_FORMAT = "00"
POINT_OF_INITIATION = "01"
MERCHANT_ACCOUNT_ACQUIRER = "26"
MERCHANT_ACCOUNT_QRIS = "51"
MERCHANT_CATEGORY = "52"
CURRENCY = "53"
AMOUNT = "54"
COUNTRY = "58"
MERCHANT_NAME = "59"
MERCHANT_CITY = "60"
POSTAL_CODE = "61"
ADDITIONAL_DATA = "62"
CRC = "63"
DYNAMIC = "12"
STATIC = "11"
# ISO 4217 numeric code of the rupiah.
RUPIAH = "360"
# Merchant category 9399: government services not elsewhere classified.
GOVERNMENT_SERVICES = "9399"
QRIS_DOMAIN = "ID.CO.QRIS.WWW"


class QrisError(ValueError):
    pass


def crc16_ccitt_false(data: str) -> str:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR)
    of the payload's bytes, as four upper-case hex digits."""
    crc = 0xFFFF
    for byte in data.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise QrisError(f"Value of tag {tag} is longer than 99 characters.")
    return f"{tag}{len(value):02d}{value}"


def parse_tlv(payload: str) -> list[tuple[str, str]]:
    fields, index = [], 0
    while index < len(payload):
        if index + 4 > len(payload):
            raise QrisError("Truncated field header.")
        tag, length_text = payload[index : index + 2], payload[index + 2 : index + 4]
        if not (tag.isdigit() and length_text.isdigit()):
            raise QrisError(f"Malformed field at position {index}.")
        length = int(length_text)
        value = payload[index + 4 : index + 4 + length]
        if len(value) != length:
            raise QrisError(f"Field {tag} is shorter than its length.")
        fields.append((tag, value))
        index += 4 + length
    return fields


@dataclass(frozen=True)
class Merchant:
    """Who is paid: the acquirer's account data (tag 26) and the national merchant id (tag 51)."""

    acquirer_domain: str  # reverse domain of the acquirer, e.g. "ID.CO.BANKNAME.WWW"
    merchant_pan: str  # the merchant's PAN at the acquirer (up to 19 digits)
    merchant_id: str  # the acquirer's merchant id
    nmid: str  # national merchant id issued by QRIS, e.g. "ID1020012345678"
    name: str  # up to 25 characters
    city: str  # up to 15 characters
    postal_code: str = ""
    category: str = GOVERNMENT_SERVICES
    criteria: str = "UBE"  # merchant size criterion: UMI, UKE, UME, UBE (large)


def build(*, merchant: Merchant, amount: int, bill_reference: str, terminal: str = "GERBANG") -> str:
    """A dynamic payload for one bill of ``amount`` whole rupiah."""
    if amount <= 0:
        raise QrisError("A dynamic QRIS needs a positive amount.")
    acquirer = (
        tlv("00", merchant.acquirer_domain)
        + tlv("01", merchant.merchant_pan)
        + tlv("02", merchant.merchant_id)
        + tlv("03", merchant.criteria)
    )
    national = tlv("00", QRIS_DOMAIN) + tlv("02", merchant.nmid) + tlv("03", merchant.criteria)
    additional = tlv("01", bill_reference) + tlv("07", terminal)
    body = (
        tlv(PAYLOAD_FORMAT, "01")
        + tlv(POINT_OF_INITIATION, DYNAMIC)
        + tlv(MERCHANT_ACCOUNT_ACQUIRER, acquirer)
        + tlv(MERCHANT_ACCOUNT_QRIS, national)
        + tlv(MERCHANT_CATEGORY, merchant.category)
        + tlv(CURRENCY, RUPIAH)
        + tlv(AMOUNT, str(amount))
        + tlv(COUNTRY, "ID")
        + tlv(MERCHANT_NAME, merchant.name[:25])
        + tlv(MERCHANT_CITY, merchant.city[:15])
        + (tlv(POSTAL_CODE, merchant.postal_code) if merchant.postal_code else "")
        + tlv(ADDITIONAL_DATA, additional)
    )
    return with_crc(body)


def with_crc(body: str) -> str:
    unsigned = body + CRC + "04"
    return unsigned + crc16_ccitt_false(unsigned)


@dataclass(frozen=True)
class Parsed:
    fields: dict[str, str]
    additional: dict[str, str]
    dynamic: bool
    amount: int | None
    currency: str
    bill_reference: str
    merchant_name: str


def parse(payload: str) -> Parsed:
    """Read a payload back, checking its structure and CRC."""
    payload = payload.strip()
    if len(payload) < 8 or payload[-8:-4] != CRC + "04":
        raise QrisError("The payload does not end with a CRC field (6304).")
    if crc16_ccitt_false(payload[:-4]) != payload[-4:].upper():
        raise QrisError("The CRC does not match: the payload was altered or mistyped.")
    fields = dict(parse_tlv(payload[:-8]))
    if fields.get(PAYLOAD_FORMAT) != "01":
        raise QrisError("Unknown payload format.")
    additional = dict(parse_tlv(fields.get(ADDITIONAL_DATA, "")))
    amount_text = fields.get(AMOUNT)
    amount: int | None = None
    if amount_text is not None:
        whole, _, cents = amount_text.partition(".")
        if not whole.isdigit() or (cents and cents.strip("0")):
            raise QrisError("The amount is not a whole number of rupiah.")
        amount = int(whole)
    return Parsed(
        fields=fields,
        additional=additional,
        dynamic=fields.get(POINT_OF_INITIATION) == DYNAMIC,
        amount=amount,
        currency=fields.get(CURRENCY, ""),
        bill_reference=additional.get("01", ""),
        merchant_name=fields.get(MERCHANT_NAME, ""),
    )
