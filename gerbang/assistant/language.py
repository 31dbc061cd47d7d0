"""Which language a question is in: Indonesian (formal or everyday) or English.

Counts the words that only one of the two languages uses (function words, question words and
the field's everyday words); a mixed question goes to the language with more of them. A
question with none (or a tie) falls back to the hint (the page's language), then Indonesian.
"""

from __future__ import annotations

from gerbang.assistant.normalise import strip_accents, word_set
from gerbang.assistant.synonyms import EVERYDAY

INDONESIAN = word_set("""
    apa apakah bagaimana berapa dimana di mana kapan kenapa mengapa siapa yang dan atau untuk dari
    ke dengan saya kami kita anda kamu ini itu ada tidak bukan sudah belum bisa boleh harus perlu
    mau ingin akan sedang masih lagi juga saja kalau jika bila apabila karena tapi tetapi sampai
    buat membuat bikin urus mengurus ajukan mengajukan bayar membayar biaya syarat persyaratan
    paspor hilang rusak ganti perpanjang perpanjangan kantor imigrasi jadwal antrean antrian
    wawancara permohonan pemohon anak orang tua berlaku lama baru hari kerja libur buka tutup
    banjir dihentikan sementara layanan pelayanan dokumen asli unggah foto nama status tolong
    mohon terima kasih selamat pagi siang sore malam halo bagaimanakah adakah dapat bisakah
    besok hari ini kemarin minggu bulan tahun tinggal izin dimana pembayaran kode tagihan
    nomor giliran ketinggalan terlambat datang lupa kata sandi akun daftar masuk kok sih dong
    deh nih tuh ya yah gak ga nggak enggak udah udh blm gmn gimana brp knp dmn yg sy aku gue
    pake pakai kalo klo jd aja bs tgl ilang pasport pspor bikinnya nya punya mana lewat kena air
    bagi jika tentang seperti pakai negeri luar sendiri bareng sama semua berapaan habis penuh
    """) | frozenset(EVERYDAY)

ENGLISH = word_set("""
    what how why when where who which is are was were do does did can could should would will
    the a an my your our their i you we they it this that these those to of for from with on in
    at by and or but not no yes please need want get got have has had much many long cost fee
    fees price passport lost damaged renew renewal extend extension office open closed tomorrow
    today appointment interview queue payment pay paid apply application status ready take
    child children new old visa permit stay work documents document requirements required bring
    photo name different late number ticket help hello hi thanks thank there any some if about
    abroad holiday holidays weekend weekends saturday sunday flood notice stopped account password
    forgot email phone link official safe language english know check track still yet already
    does done finished mine me am be been being into after before until while during
    """)

# Words both languages write the same way say nothing about the language.
_SHARED = frozenset({"visa", "status", "email", "online", "data", "format", "foto", "kitas", "itas"})


def detect(question: str, *, hint: str | None = None) -> str:
    """``"id"`` or ``"en"``."""
    indonesian = english = 0
    for token in strip_accents(question).replace("-", " ").split():
        word = "".join(ch for ch in token if ch.isalnum())
        if not word or word in _SHARED:
            continue
        in_id, in_en = word in INDONESIAN, word in ENGLISH
        if in_id and not in_en:
            indonesian += 1
        elif in_en and not in_id:
            english += 1
    if indonesian > english:
        return "id"
    if english > indonesian:
        return "en"
    return hint if hint in ("id", "en") else "id"
