"""The service catalogue loaded by the demo: every service with who may apply, its documents,
steps, fee and service standard, in Indonesian and English.

Passport fees follow the PNBP tariff of PP 28/2019 (ordinary passport Rp350.000, electronic
passport Rp650.000, same-day service Rp1.000.000 on top, surcharges for a lost or damaged
passport). Visa and stay-permit tariffs depend on index and duration and change by regulation;
the figures here are the common case and carry their legal basis, to be checked against the
regulation in force before a real deployment, where finance staff keep them up to date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

PP_28_2019 = "PP No. 28 Tahun 2019 tentang Jenis dan Tarif PNBP Kementerian Hukum dan HAM"
# The visa and stay-permit fees of the demo follow PP 28/2019 as amended; check the rates in force
# before real use (they are shown to the public as the legal basis).
VISA_TARIFF = "PP No. 28 Tahun 2019 jo. perubahannya"
EFFECTIVE = date(2019, 5, 7)


def req(
    name_id: str,
    name_en: str,
    format_id: str,
    format_en: str,
    applies_to: str = "always",
    *,
    is_photo: bool = False,
) -> dict[str, Any]:
    return {
        "name_id": name_id,
        "name_en": name_en,
        "format_id": format_id,
        "format_en": format_en,
        "applies_to": applies_to,
        "is_photo": is_photo,
    }


SCAN_ID, SCAN_EN = (
    "Asli, dipindai (PDF/JPG/PNG, maks. 5 MB); dibawa saat wawancara",
    "Original, scanned (PDF/JPG/PNG, max. 5 MB); bring it to the interview",
)
KTP = req("KTP-el", "Electronic identity card (KTP-el)", SCAN_ID, SCAN_EN, "adult")
KK = req("Kartu Keluarga", "Family card (Kartu Keluarga)", SCAN_ID, SCAN_EN)
IDENTITY_DOC = req(
    "Akta kelahiran, ijazah, buku nikah/akta perkawinan, atau surat baptis (salah satu) yang memuat nama, tempat dan tanggal lahir, serta nama orang tua",
    "Birth certificate, school diploma, marriage certificate or baptism certificate (one of them) showing name, place and date of birth and the parents' names",
    SCAN_ID,
    SCAN_EN,
)
CHILD_BIRTH = req("Akta kelahiran anak", "The child's birth certificate", SCAN_ID, SCAN_EN, "minor")
PARENTS_KTP = req("KTP-el kedua orang tua", "Both parents' KTP-el", SCAN_ID, SCAN_EN, "minor")
PARENTS_MARRIAGE = req(
    "Buku nikah atau akta perkawinan orang tua",
    "The parents' marriage certificate",
    SCAN_ID,
    SCAN_EN,
    "minor",
)
PARENT_PASSPORT = req("Paspor salah satu orang tua", "The passport of one parent", SCAN_ID, SCAN_EN, "minor")
OLD_PASSPORT = req(
    "Paspor lama",
    "The previous passport",
    "Asli, dibawa saat wawancara",
    "Original, bring it to the interview",
    "has_passport",
)
NATIONAL_PASSPORT = req(
    "Paspor kebangsaan", "National passport", "Halaman data, dipindai", "Data page, scanned"
)
SPONSOR_LETTER = req(
    "Surat penjaminan dari penjamin", "Sponsor's guarantee letter", "PDF, ditandatangani", "PDF, signed"
)
VALID_ITAS = req("ITAS yang berlaku", "The valid ITAS", "PDF", "PDF")
VISITOR_PASSPORT = req(
    "Paspor (berlaku minimal 6 bulan)",
    "Passport (valid for at least 6 months)",
    "Halaman data, dipindai (PDF/JPG)",
    "Data page, scanned (PDF/JPG)",
)
ONWARD_TICKET = req("Tiket kembali atau tiket lanjutan", "Return or onward ticket", "PDF", "PDF")

PASSPORT_STEPS_ID = "\n".join(
    [
        "Isi permohonan di Gerbang dan unggah dokumen.",
        "Bayar biaya dengan kode billing atau QRIS.",
        "Pilih jadwal kedatangan di kantor imigrasi.",
        "Datang tepat waktu untuk wawancara, foto, dan sidik jari; bawa dokumen asli.",
        "Ambil paspor di kantor setelah Anda diberi tahu paspor siap.",
    ]
)
PASSPORT_STEPS_EN = "\n".join(
    [
        "Apply on Gerbang and upload your documents.",
        "Pay the fee with the billing code or QRIS.",
        "Choose a time to visit the immigration office.",
        "Come on time for the interview, photo and fingerprints; bring the original documents.",
        "Collect the passport at the office when you are told it is ready.",
    ]
)
CITIZEN_ELIGIBILITY_ID = "Warga negara Indonesia (WNI) dari segala usia. Anak di bawah 17 tahun diajukan oleh orang tua atau walinya dan datang bersama mereka."
CITIZEN_ELIGIBILITY_EN = "Indonesian citizens (WNI) of any age. Children under 17 apply through a parent or guardian and come with them."


def passport_fee(label_id: str, label_en: str, amount: int) -> dict[str, Any]:
    return {"label_id": label_id, "label_en": label_en, "amount": amount}


SERVICES: list[dict[str, Any]] = [
    {
        "code": "paspor-biasa",
        "fields": {
            "category": "passport",
            "audience": "citizen",
            "order": 1,
            "name_id": "Paspor biasa 48 halaman (permohonan pertama)",
            "name_en": "First ordinary passport (48 pages)",
            "summary_id": "Paspor biasa non-elektronik untuk WNI yang belum pernah memiliki paspor. Berlaku 10 tahun untuk dewasa.",
            "summary_en": "A non-electronic ordinary passport for citizens who have never had one. Valid for 10 years for adults.",
            "eligibility_id": CITIZEN_ELIGIBILITY_ID,
            "eligibility_en": CITIZEN_ELIGIBILITY_EN,
            "steps_id": PASSPORT_STEPS_ID,
            "steps_en": PASSPORT_STEPS_EN,
            "office_visit_required": True,
        },
        "requirements": [KTP, KK, IDENTITY_DOC, CHILD_BIRTH, PARENTS_KTP, PARENTS_MARRIAGE, PARENT_PASSPORT],
        "terms": [
            {
                "effective_from": EFFECTIVE,
                "fee": 350_000,
                "standard_working_days": 4,
                "legal_basis": PP_28_2019,
            }
        ],
    },
    {
        "code": "e-paspor",
        "fields": {
            "category": "passport",
            "audience": "citizen",
            "order": 2,
            "name_id": "Paspor elektronik (e-paspor) 48 halaman",
            "name_en": "Electronic passport (e-passport, 48 pages)",
            "summary_id": "Paspor dengan chip yang menyimpan data biometrik. Dapat digunakan untuk fasilitas bebas visa tertentu dan autogate.",
            "summary_en": "A passport with a chip holding biometric data. It can be used for some visa waivers and at autogates.",
            "eligibility_id": CITIZEN_ELIGIBILITY_ID,
            "eligibility_en": CITIZEN_ELIGIBILITY_EN,
            "steps_id": PASSPORT_STEPS_ID,
            "steps_en": PASSPORT_STEPS_EN,
            "office_visit_required": True,
        },
        "requirements": [
            KTP,
            KK,
            IDENTITY_DOC,
            OLD_PASSPORT,
            CHILD_BIRTH,
            PARENTS_KTP,
            PARENTS_MARRIAGE,
            PARENT_PASSPORT,
        ],
        "terms": [
            {
                "effective_from": EFFECTIVE,
                "fee": 650_000,
                "standard_working_days": 4,
                "legal_basis": PP_28_2019,
            }
        ],
    },
    {
        "code": "paspor-penggantian",
        "fields": {
            "category": "passport",
            "audience": "citizen",
            "order": 3,
            "name_id": "Penggantian paspor habis berlaku atau halaman penuh",
            "name_en": "Replacement of an expired or full passport",
            "summary_id": "Paspor baru untuk mengganti paspor yang sudah habis masa berlakunya, akan habis, atau halamannya penuh. Biaya di sini untuk paspor biasa; penggantian dengan e-paspor Rp 650.000.",
            "summary_en": "A new passport replacing one that has expired, is about to expire or is full. The fee shown is for an ordinary passport; replacing it with an e-passport costs Rp 650,000.",
            "eligibility_id": "WNI yang memiliki paspor lama. " + CITIZEN_ELIGIBILITY_ID,
            "eligibility_en": "Citizens who hold a previous passport. " + CITIZEN_ELIGIBILITY_EN,
            "steps_id": PASSPORT_STEPS_ID,
            "steps_en": PASSPORT_STEPS_EN,
            "office_visit_required": True,
        },
        "requirements": [
            KTP,
            req(
                "Paspor lama",
                "The previous passport",
                "Asli, dibawa saat wawancara",
                "Original, bring it to the interview",
            ),
            CHILD_BIRTH,
            PARENTS_KTP,
        ],
        "terms": [
            {
                "effective_from": EFFECTIVE,
                "fee": 350_000,
                "standard_working_days": 4,
                "legal_basis": PP_28_2019,
            }
        ],
    },
    {
        "code": "paspor-hilang",
        "fields": {
            "category": "passport",
            "audience": "citizen",
            "order": 4,
            "name_id": "Penggantian paspor hilang",
            "name_en": "Replacement of a lost passport",
            "summary_id": "Paspor pengganti bila paspor Anda hilang. Kehilangan diperiksa petugas (berita acara pemeriksaan) sebelum paspor baru diterbitkan, dan dikenai biaya beban Rp 1.000.000 di samping biaya paspor.",
            "summary_en": "A replacement when your passport was lost. An officer examines the loss (an examination report) before a new passport is issued, and a Rp 1,000,000 surcharge applies on top of the passport fee.",
            "eligibility_id": "WNI yang paspornya hilang, di dalam negeri. Bila hilang di luar negeri, hubungi perwakilan RI terdekat.",
            "eligibility_en": "Citizens whose passport was lost in Indonesia. If it was lost abroad, contact the nearest Indonesian embassy or consulate.",
            "steps_id": "\n".join(
                [
                    "Laporkan kehilangan ke kepolisian dan minta surat keterangan hilang.",
                    "Isi permohonan di Gerbang dan unggah dokumen.",
                    "Bayar biaya dengan kode billing atau QRIS.",
                    "Datang ke kantor untuk pemeriksaan kehilangan, wawancara, foto, dan sidik jari.",
                    "Ambil paspor pengganti setelah Anda diberi tahu paspor siap.",
                ]
            ),
            "steps_en": "\n".join(
                [
                    "Report the loss to the police and ask for a loss report letter.",
                    "Apply on Gerbang and upload your documents.",
                    "Pay the fee with the billing code or QRIS.",
                    "Come to the office for the examination of the loss, the interview, photo and fingerprints.",
                    "Collect the replacement passport when you are told it is ready.",
                ]
            ),
            "office_visit_required": True,
        },
        "requirements": [
            KTP,
            KK,
            req(
                "Surat keterangan hilang dari kepolisian",
                "Loss report letter from the police",
                SCAN_ID,
                SCAN_EN,
                "lost",
            ),
            IDENTITY_DOC,
            CHILD_BIRTH,
            PARENTS_KTP,
        ],
        "terms": [
            {
                "effective_from": EFFECTIVE,
                "fee": 1_350_000,
                "fee_breakdown": [
                    passport_fee("Paspor biasa 48 halaman", "Ordinary passport, 48 pages", 350_000),
                    passport_fee("Biaya beban paspor hilang", "Surcharge for a lost passport", 1_000_000),
                ],
                "standard_working_days": 4,
                "legal_basis": PP_28_2019,
            }
        ],
    },
    {
        "code": "paspor-rusak",
        "fields": {
            "category": "passport",
            "audience": "citizen",
            "order": 5,
            "name_id": "Penggantian paspor rusak",
            "name_en": "Replacement of a damaged passport",
            "summary_id": "Paspor pengganti bila paspor Anda rusak (basah, sobek, halaman data tidak terbaca). Dikenai biaya beban Rp 500.000 di samping biaya paspor.",
            "summary_en": "A replacement when your passport is damaged (wet, torn, the data page unreadable). A Rp 500,000 surcharge applies on top of the passport fee.",
            "eligibility_id": "WNI yang paspornya rusak. " + CITIZEN_ELIGIBILITY_ID,
            "eligibility_en": "Citizens whose passport is damaged. " + CITIZEN_ELIGIBILITY_EN,
            "steps_id": PASSPORT_STEPS_ID,
            "steps_en": PASSPORT_STEPS_EN,
            "office_visit_required": True,
        },
        "requirements": [
            KTP,
            KK,
            req(
                "Paspor yang rusak",
                "The damaged passport",
                "Asli, dibawa saat wawancara",
                "Original, bring it to the interview",
                "damaged",
            ),
            CHILD_BIRTH,
            PARENTS_KTP,
        ],
        "terms": [
            {
                "effective_from": EFFECTIVE,
                "fee": 850_000,
                "fee_breakdown": [
                    passport_fee("Paspor biasa 48 halaman", "Ordinary passport, 48 pages", 350_000),
                    passport_fee("Biaya beban paspor rusak", "Surcharge for a damaged passport", 500_000),
                ],
                "standard_working_days": 4,
                "legal_basis": PP_28_2019,
            }
        ],
    },
    {
        "code": "paspor-percepatan",
        "fields": {
            "category": "passport",
            "audience": "citizen",
            "order": 6,
            "name_id": "Layanan percepatan paspor (selesai di hari yang sama)",
            "name_en": "Same-day passport service",
            "summary_id": "Paspor selesai pada hari yang sama dengan wawancara. Biaya percepatan Rp 1.000.000 dibayar di samping biaya paspor. Hanya di kantor yang menyediakan layanan ini.",
            "summary_en": "The passport is ready on the day of the interview. The Rp 1,000,000 same-day fee is paid on top of the passport fee. Only at offices that offer it.",
            "eligibility_id": "WNI yang mengajukan paspor baru atau penggantian dan memerlukan paspor segera. "
            + CITIZEN_ELIGIBILITY_ID,
            "eligibility_en": "Citizens applying for a new or replacement passport who need it at once. "
            + CITIZEN_ELIGIBILITY_EN,
            "steps_id": PASSPORT_STEPS_ID,
            "steps_en": PASSPORT_STEPS_EN,
            "office_visit_required": True,
        },
        "requirements": [KTP, KK, IDENTITY_DOC, OLD_PASSPORT, CHILD_BIRTH, PARENTS_KTP],
        "terms": [
            {
                "effective_from": EFFECTIVE,
                "fee": 1_000_000,
                "fee_breakdown": [
                    passport_fee(
                        "Biaya layanan percepatan (di samping biaya paspor)",
                        "Same-day fee (on top of the passport fee)",
                        1_000_000,
                    )
                ],
                "standard_working_days": 0,
                "legal_basis": PP_28_2019,
            }
        ],
    },
    {
        "code": "visa-kunjungan",
        "fields": {
            "category": "visa",
            "audience": "foreigner",
            "order": 1,
            "name_id": "Visa kunjungan (e-Visa) satu kali perjalanan",
            "name_en": "Single-entry visit visa (e-Visa)",
            "summary_id": "Visa untuk kunjungan wisata, keluarga, sosial, atau bisnis (tanpa bekerja), berlaku hingga 60 hari di Indonesia. Diajukan dan diterbitkan secara elektronik.",
            "summary_en": "A visa for tourism, family, social or business visits (no work), for a stay of up to 60 days. Applied for and issued electronically.",
            "eligibility_id": "Warga negara asing (WNA) dengan paspor yang berlaku sekurang-kurangnya 6 bulan.",
            "eligibility_en": "Foreign nationals with a passport valid for at least 6 more months.",
            "steps_id": "Isi permohonan dan unggah dokumen.\nBayar biaya visa.\nTerima e-Visa melalui email dan tunjukkan saat tiba.",
            "steps_en": "Apply and upload your documents.\nPay the visa fee.\nReceive the e-Visa by email and show it on arrival.",
            "office_visit_required": False,
            "online_only": True,
        },
        "requirements": [
            req(
                "Paspor (berlaku minimal 6 bulan)",
                "Passport (valid for at least 6 months)",
                "Halaman data, dipindai (PDF/JPG)",
                "Data page, scanned (PDF/JPG)",
            ),
            req(
                "Pasfoto berwarna terbaru",
                "Recent colour photo",
                "JPG atau PNG, latar putih",
                "JPG or PNG, white background",
                is_photo=True,
            ),
            req(
                "Bukti kemampuan finansial",
                "Proof of sufficient funds",
                "Rekening koran 3 bulan terakhir (PDF)",
                "Bank statement of the last 3 months (PDF)",
            ),
            ONWARD_TICKET,
        ],
        "terms": [
            {
                "effective_from": date(2024, 1, 1),
                "fee": 1_500_000,
                "standard_working_days": 5,
                "legal_basis": VISA_TARIFF,
            }
        ],
    },
    {
        "code": "e-voa",
        "fields": {
            "category": "visa",
            "audience": "foreigner",
            "order": 2,
            "name_id": "Visa on Arrival elektronik (e-VoA)",
            "name_en": "Electronic visa on arrival (e-VoA)",
            "summary_id": "Visa kunjungan saat kedatangan untuk warga negara yang memenuhi syarat, berlaku 30 hari dan dapat diperpanjang satu kali 30 hari.",
            "summary_en": "A visit visa on arrival for eligible nationalities, valid for 30 days and extendable once by 30 days.",
            "eligibility_id": "WNA dari negara yang termasuk daftar penerima Visa on Arrival, dengan paspor yang berlaku minimal 6 bulan.",
            "eligibility_en": "Foreign nationals of countries on the visa-on-arrival list, with a passport valid for at least 6 more months.",
            "steps_id": "Ajukan e-VoA paling cepat 14 hari sebelum kedatangan.\nBayar biaya.\nTunjukkan e-VoA di pemeriksaan imigrasi.",
            "steps_en": "Apply for the e-VoA up to 14 days before arrival.\nPay the fee.\nShow the e-VoA at the immigration check.",
            "office_visit_required": False,
            "online_only": True,
        },
        "requirements": [
            req(
                "Paspor (berlaku minimal 6 bulan)",
                "Passport (valid for at least 6 months)",
                "Halaman data, dipindai (PDF/JPG)",
                "Data page, scanned (PDF/JPG)",
            ),
            ONWARD_TICKET,
        ],
        "terms": [
            {
                "effective_from": date(2022, 11, 1),
                "fee": 500_000,
                "standard_working_days": 1,
                "legal_basis": VISA_TARIFF,
            }
        ],
    },
    {
        "code": "e-voa-perpanjangan",
        "fields": {
            "category": "visa",
            "audience": "foreigner",
            "order": 3,
            "name_id": "Perpanjangan Visa on Arrival",
            "name_en": "Extension of a visa on arrival",
            "summary_id": "Perpanjangan izin tinggal kunjungan dari VoA satu kali untuk 30 hari. Ajukan sebelum izin tinggal berakhir.",
            "summary_en": "Extends a visa-on-arrival stay once by 30 days. Apply before the stay ends.",
            "eligibility_id": "Pemegang VoA atau e-VoA yang masih berada di Indonesia dan izin tinggalnya belum berakhir.",
            "eligibility_en": "Holders of a VoA or e-VoA who are in Indonesia and whose stay has not yet ended.",
            "steps_id": "Ajukan perpanjangan sebelum izin tinggal berakhir.\nBayar biaya.\nTerima persetujuan perpanjangan secara elektronik.",
            "steps_en": "Apply for the extension before your stay ends.\nPay the fee.\nReceive the approved extension electronically.",
            "office_visit_required": False,
            "online_only": True,
        },
        "requirements": [
            req(
                "Paspor",
                "Passport",
                "Halaman data dan cap kedatangan, dipindai",
                "Data page and arrival stamp, scanned",
            ),
            req("e-VoA atau VoA yang berlaku", "The valid e-VoA or VoA", "PDF", "PDF"),
        ],
        "terms": [
            {
                "effective_from": date(2022, 11, 1),
                "fee": 500_000,
                "standard_working_days": 1,
                "legal_basis": VISA_TARIFF,
            }
        ],
    },
    {
        "code": "itas-baru",
        "fields": {
            "category": "stay_permit",
            "audience": "foreigner",
            "order": 1,
            "name_id": "Izin Tinggal Terbatas (ITAS/KITAS) baru",
            "name_en": "New limited stay permit (ITAS/KITAS)",
            "summary_id": "Izin tinggal untuk bekerja, bergabung dengan keluarga, belajar, atau berinvestasi di Indonesia, berlaku hingga 1 tahun (dapat diperpanjang). Biaya di sini untuk ITAS 1 tahun.",
            "summary_en": "A stay permit to work, join family, study or invest in Indonesia, for up to 1 year (extendable). The fee shown is for a 1-year ITAS.",
            "eligibility_id": "WNA yang masuk dengan visa tinggal terbatas dan memiliki penjamin (perusahaan, keluarga, atau lembaga) di Indonesia.",
            "eligibility_en": "Foreign nationals who entered on a limited-stay visa and have a sponsor (company, family or institution) in Indonesia.",
            "steps_id": "Isi permohonan di Gerbang dan unggah dokumen.\nBayar biaya.\nDatang ke kantor untuk foto dan sidik jari.\nTerima ITAS elektronik.",
            "steps_en": "Apply on Gerbang and upload your documents.\nPay the fee.\nCome to the office for photo and fingerprints.\nReceive the electronic ITAS.",
            "office_visit_required": True,
        },
        "requirements": [
            req(
                "Paspor kebangsaan",
                "National passport",
                "Halaman data dan visa, dipindai",
                "Data and visa pages, scanned",
            ),
            req(
                "Surat penjaminan dari penjamin",
                "Sponsor's guarantee letter",
                "PDF, ditandatangani",
                "PDF, signed",
            ),
            req(
                "Dokumen tujuan tinggal (misalnya izin kerja, buku nikah, surat penerimaan sekolah)",
                "Document for the purpose of stay (e.g. work permit, marriage certificate, school admission letter)",
                "PDF",
                "PDF",
            ),
            req("Bukti domisili di Indonesia", "Proof of address in Indonesia", "PDF", "PDF"),
        ],
        "terms": [
            {
                "effective_from": EFFECTIVE,
                "fee": 1_000_000,
                "standard_working_days": 5,
                "legal_basis": VISA_TARIFF,
            }
        ],
    },
    {
        "code": "itas-perpanjangan",
        "fields": {
            "category": "stay_permit",
            "audience": "foreigner",
            "order": 2,
            "name_id": "Perpanjangan ITAS",
            "name_en": "Extension of a limited stay permit (ITAS)",
            "summary_id": "Perpanjangan ITAS untuk tujuan yang sama. Ajukan sebelum ITAS berakhir. Biaya di sini untuk perpanjangan 1 tahun.",
            "summary_en": "Extends an ITAS for the same purpose. Apply before the ITAS ends. The fee shown is for a 1-year extension.",
            "eligibility_id": "Pemegang ITAS yang masih berlaku dengan penjamin yang sama.",
            "eligibility_en": "Holders of a valid ITAS with the same sponsor.",
            "steps_id": "Isi permohonan sebelum ITAS berakhir dan unggah dokumen.\nBayar biaya.\nDatang ke kantor bila diminta.\nTerima ITAS yang diperpanjang.",
            "steps_en": "Apply before the ITAS ends and upload your documents.\nPay the fee.\nCome to the office if asked.\nReceive the extended ITAS.",
            "office_visit_required": True,
        },
        "requirements": [
            NATIONAL_PASSPORT,
            VALID_ITAS,
            req(
                "Surat penjaminan dari penjamin",
                "Sponsor's guarantee letter",
                "PDF, ditandatangani",
                "PDF, signed",
            ),
        ],
        "terms": [
            {
                "effective_from": EFFECTIVE,
                "fee": 1_000_000,
                "standard_working_days": 5,
                "legal_basis": VISA_TARIFF,
            }
        ],
    },
    {
        "code": "itap",
        "fields": {
            "category": "stay_permit",
            "audience": "foreigner",
            "order": 3,
            "name_id": "Izin Tinggal Tetap (ITAP/KITAP)",
            "name_en": "Permanent stay permit (ITAP/KITAP)",
            "summary_id": "Izin tinggal tetap berlaku 5 tahun dan dapat diperpanjang tanpa batas, antara lain bagi pasangan WNI dan pemegang ITAS yang memenuhi syarat.",
            "summary_en": "A permanent stay permit valid for 5 years and renewable without limit, for example for spouses of citizens and eligible ITAS holders.",
            "eligibility_id": "WNA yang memenuhi syarat alih status atau ITAP, misalnya telah tinggal dengan ITAS sesuai ketentuan atau menikah sah dengan WNI.",
            "eligibility_en": "Foreign nationals who meet the conditions, for example having lived in Indonesia on an ITAS as required, or being lawfully married to a citizen.",
            "steps_id": "Isi permohonan dan unggah dokumen.\nBayar biaya.\nDatang ke kantor untuk wawancara, foto, dan sidik jari.\nTerima ITAP elektronik.",
            "steps_en": "Apply and upload your documents.\nPay the fee.\nCome to the office for the interview, photo and fingerprints.\nReceive the electronic ITAP.",
            "office_visit_required": True,
        },
        "requirements": [
            NATIONAL_PASSPORT,
            VALID_ITAS,
            req(
                "Surat penjaminan dari penjamin",
                "Sponsor's guarantee letter",
                "PDF, ditandatangani",
                "PDF, signed",
            ),
            req(
                "Pernyataan integrasi (mampu berbahasa Indonesia, setia pada NKRI)",
                "Integration statement (speaks Indonesian, loyal to the Republic)",
                "PDF, ditandatangani",
                "PDF, signed",
            ),
        ],
        "terms": [
            {
                "effective_from": EFFECTIVE,
                "fee": 3_000_000,
                "standard_working_days": 7,
                "legal_basis": VISA_TARIFF,
            }
        ],
    },
    {
        "code": "izin-masuk-kembali",
        "fields": {
            "category": "stay_permit",
            "audience": "foreigner",
            "order": 4,
            "name_id": "Izin masuk kembali (Exit Re-entry Permit/ERP)",
            "name_en": "Exit re-entry permit (ERP)",
            "summary_id": "Izin bagi pemegang ITAS atau ITAP untuk keluar dan masuk kembali ke Indonesia selama izin tinggalnya berlaku.",
            "summary_en": "Lets an ITAS or ITAP holder leave Indonesia and come back while the stay permit is valid.",
            "eligibility_id": "Pemegang ITAS atau ITAP yang masih berlaku.",
            "eligibility_en": "Holders of a valid ITAS or ITAP.",
            "steps_id": "Isi permohonan dan unggah dokumen.\nBayar biaya.\nTerima izin masuk kembali secara elektronik.",
            "steps_en": "Apply and upload your documents.\nPay the fee.\nReceive the re-entry permit electronically.",
            "office_visit_required": False,
        },
        "requirements": [
            NATIONAL_PASSPORT,
            req("ITAS atau ITAP yang berlaku", "The valid ITAS or ITAP", "PDF", "PDF"),
            req(
                "Surat penjaminan dari penjamin",
                "Sponsor's guarantee letter",
                "PDF, ditandatangani",
                "PDF, signed",
            ),
        ],
        "terms": [
            {
                "effective_from": EFFECTIVE,
                "fee": 1_000_000,
                "standard_working_days": 3,
                "legal_basis": VISA_TARIFF,
            }
        ],
    },
    {
        "code": "alih-status",
        "fields": {
            "category": "stay_permit",
            "audience": "foreigner",
            "order": 5,
            "name_id": "Alih status izin tinggal (misalnya ITAS ke ITAP)",
            "name_en": "Transfer of stay status (e.g. ITAS to ITAP)",
            "summary_id": "Mengubah jenis izin tinggal tanpa keluar dari Indonesia, misalnya dari ITAS ke ITAP, atau dari izin tinggal kunjungan ke ITAS bagi keluarga WNI.",
            "summary_en": "Changes the kind of stay permit without leaving Indonesia, for example from ITAS to ITAP, or from a visit stay to an ITAS for family of citizens.",
            "eligibility_id": "WNA di Indonesia yang memenuhi syarat izin tinggal yang baru.",
            "eligibility_en": "Foreign nationals in Indonesia who meet the conditions of the new stay permit.",
            "steps_id": "Isi permohonan dan unggah dokumen.\nBayar biaya.\nDatang ke kantor untuk wawancara.\nTerima izin tinggal yang baru.",
            "steps_en": "Apply and upload your documents.\nPay the fee.\nCome to the office for an interview.\nReceive the new stay permit.",
            "office_visit_required": True,
        },
        "requirements": [
            NATIONAL_PASSPORT,
            req("Izin tinggal yang sedang berlaku", "The current stay permit", "PDF", "PDF"),
            req(
                "Surat penjaminan dari penjamin",
                "Sponsor's guarantee letter",
                "PDF, ditandatangani",
                "PDF, signed",
            ),
            req(
                "Dokumen dasar alih status (misalnya buku nikah dengan WNI)",
                "Document the transfer rests on (e.g. marriage certificate with a citizen)",
                "PDF",
                "PDF",
            ),
        ],
        "terms": [
            {
                "effective_from": EFFECTIVE,
                "fee": 3_000_000,
                "standard_working_days": 7,
                "legal_basis": VISA_TARIFF,
            }
        ],
    },
    {
        "code": "affidavit",
        "fields": {
            "category": "affidavit",
            "audience": "foreigner",
            "order": 1,
            "name_id": "Affidavit bagi anak berkewarganegaraan ganda terbatas",
            "name_en": "Affidavit for children with limited dual citizenship",
            "summary_id": "Fasilitas keimigrasian bagi anak berkewarganegaraan ganda (hingga usia 18 tahun) yang memegang paspor asing, sehingga tidak memerlukan visa dan izin tinggal.",
            "summary_en": "An immigration facility for children with dual citizenship (until 18) who hold a foreign passport, so that they need no visa or stay permit.",
            "eligibility_id": "Anak dari perkawinan campuran atau yang lahir di negara ius soli, yang memiliki kewarganegaraan Indonesia dan asing, di bawah 18 tahun.",
            "eligibility_en": "Children of mixed marriages or born in a country granting citizenship by birth, holding Indonesian and foreign citizenship, under 18.",
            "steps_id": "Orang tua mengisi permohonan dan mengunggah dokumen.\nBayar biaya.\nDatang ke kantor bersama anak.\nAffidavit dilekatkan pada paspor asing anak.",
            "steps_en": "A parent applies and uploads the documents.\nPay the fee.\nCome to the office with the child.\nThe affidavit is attached to the child's foreign passport.",
            "office_visit_required": True,
        },
        "requirements": [
            req(
                "Paspor asing anak",
                "The child's foreign passport",
                "Halaman data, dipindai",
                "Data page, scanned",
            ),
            req("Akta kelahiran anak", "The child's birth certificate", SCAN_ID, SCAN_EN),
            req(
                "Surat keputusan kewarganegaraan ganda terbatas atau bukti pendaftaran",
                "Decision on limited dual citizenship or proof of registration",
                "PDF",
                "PDF",
            ),
            req(
                "Buku nikah atau akta perkawinan orang tua",
                "The parents' marriage certificate",
                SCAN_ID,
                SCAN_EN,
            ),
            req("Paspor atau KTP-el orang tua", "The parents' passports or KTP-el", SCAN_ID, SCAN_EN),
        ],
        "terms": [
            {
                "effective_from": EFFECTIVE,
                "fee": 500_000,
                "standard_working_days": 3,
                "legal_basis": VISA_TARIFF,
            }
        ],
    },
]
