"""Demo scam-awareness campaigns: one national running now (brokers on WhatsApp and fake payment
accounts), one for the Mesuji office running now (fake queue numbers sold on social media), and
one national that has ended (a fake e-VoA site). Offsets are days from now."""

from __future__ import annotations

from typing import Any

CAMPAIGNS: list[dict[str, Any]] = [
    {
        "office": None,
        "start": -10,
        "end": 50,
        "title_id": "Calo paspor lewat WhatsApp dan rekening pembayaran palsu",
        "title_en": "Passport brokers on WhatsApp and fake payment accounts",
        "message_id": "Ada orang yang mengaku petugas atau 'orang dalam' dan menawarkan paspor lebih cepat lewat WhatsApp, lalu meminta transfer ke rekening pribadi. Paspor tidak bisa dipercepat dengan membayar perorangan: biaya resmi hanya dibayar dengan kode billing atau QRIS di permohonan Anda.",
        "message_en": "People claiming to be officers or 'insiders' offer faster passports on WhatsApp, then ask for a transfer to a personal account. A passport cannot be sped up by paying a person: the official fee is paid only with the billing code or QRIS in your application.",
        "signs_id": "Pesan WhatsApp dari nomor yang tidak ada di daftar kanal resmi.\nJanji paspor jadi hari ini tanpa antre atau tanpa wawancara.\nPermintaan transfer ke rekening atas nama perorangan atau dompet digital.\nTautan pembayaran yang bukan dari halaman permohonan Anda di Gerbang.",
        "signs_en": "A WhatsApp message from a number that is not on the official list.\nA promise of a passport today, without queueing or an interview.\nA request to transfer to an account in a person's name or an e-wallet.\nA payment link that does not come from your application page on Gerbang.",
        "actions_id": "Jangan membayar dan jangan mengirim foto KTP-el atau paspor Anda.\nPeriksa nomor, akun, atau tautan di halaman 'Resmi atau bukan?'.\nBayar hanya dengan kode billing atau QRIS yang tampil di permohonan Anda.\nLaporkan calo melalui LAPOR, dengan tangkapan layar bila ada.",
        "actions_en": "Do not pay, and do not send photos of your KTP-el or passport.\nCheck the number, account or link on the 'Is it official?' page.\nPay only with the billing code or QRIS shown in your application.\nReport the broker through LAPOR, with screenshots if you have them.",
    },
    {
        "office": "mesuji",
        "start": -3,
        "end": 25,
        "title_id": "Nomor antrean Kantor Imigrasi dijual di media sosial",
        "title_en": "Queue numbers of the immigration office sold on social media",
        "message_id": "Akun media sosial yang meniru kantor imigrasi menjual 'nomor antrean prioritas'. Jadwal kedatangan selalu gratis dan hanya dipilih di Gerbang setelah permohonan dibayar.",
        "message_en": "Social-media accounts imitating the immigration office sell 'priority queue numbers'. Appointments are always free and are chosen only on Gerbang after the application is paid.",
        "signs_id": "Akun dengan nama mirip kantor imigrasi tetapi tidak ada di daftar kanal resmi.\nTawaran jadwal atau nomor antrean berbayar.",
        "signs_en": "An account named like the immigration office that is not on the official list.\nAn offer of an appointment or queue number for money.",
        "actions_id": "Pilih jadwal Anda sendiri di Gerbang, gratis.\nPeriksa akun di halaman 'Resmi atau bukan?' dan laporkan akun palsu melalui LAPOR.",
        "actions_en": "Choose your own time on Gerbang, free of charge.\nCheck the account on the 'Is it official?' page and report the fake account through LAPOR.",
    },
    {
        "office": None,
        "start": -120,
        "end": -30,
        "title_id": "Situs e-VoA palsu dengan biaya berlipat",
        "title_en": "Fake e-VoA websites charging several times the fee",
        "message_id": "Situs yang meniru situs resmi e-Visa meminta biaya berlipat untuk visa kunjungan saat kedatangan.",
        "message_en": "Websites imitating the official e-Visa site charged several times the fee for a visa on arrival.",
        "signs_id": "Alamat situs yang tidak berakhiran imigrasi.go.id.\nBiaya jauh di atas tarif resmi.",
        "signs_en": "A site address that does not end in imigrasi.go.id.\nA fee far above the official one.",
        "actions_id": "Ajukan e-VoA hanya di evisa.imigrasi.go.id.\nMinta bank Anda membatalkan pembayaran ke situs palsu.",
        "actions_en": "Apply for an e-VoA only at evisa.imigrasi.go.id.\nAsk your bank to reverse a payment made to a fake site.",
    },
]
