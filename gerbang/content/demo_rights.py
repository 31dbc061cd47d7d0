"""Demo "rights and duties": what applicants and foreigners in Indonesia may expect and must do,
from the law. Articles are cited only where certain; otherwise the law is named.

Each entry: (audience, kind, title_id, title_en, body_id, body_en, basis_id, basis_en).
"""

from __future__ import annotations

UU_PELAYANAN = "UU No. 25/2009 tentang Pelayanan Publik"
UU_PUBLIC_SERVICES = "Law No. 25/2009 on Public Services"
UU_KEIMIGRASIAN = "UU No. 6/2011 tentang Keimigrasian"
UU_IMMIGRATION = "Law No. 6/2011 on Immigration"
UU_PDP = "UU No. 27/2022 tentang Pelindungan Data Pribadi"
UU_PDP_EN = "Law No. 27/2022 on Personal Data Protection"
PP_KEIMIGRASIAN = "PP No. 31/2013 tentang Peraturan Pelaksanaan UU Keimigrasian dan perubahannya"
PP_IMMIGRATION = "Government Regulation No. 31/2013 implementing the Immigration Law, as amended"

RIGHTS: list[tuple[str, str, str, str, str, str, str, str]] = [
    # --- Everyone who applies -------------------------------------------------------------------
    (
        "applicant",
        "right",
        "Mengetahui standar pelayanan",
        "To know the service standard",
        "Anda berhak mengetahui persyaratan, biaya, prosedur dan jangka waktu setiap layanan sebelum mengajukan permohonan. Semuanya tercantum di halaman layanan.",
        "You have the right to know each service's requirements, fee, procedure and time before you apply. They are all on the service's page.",
        f"{UU_PELAYANAN}, Pasal 18",
        f"{UU_PUBLIC_SERVICES}, Article 18",
    ),
    (
        "applicant",
        "right",
        "Pelayanan yang berkualitas, tanpa diskriminasi",
        "Good service, without discrimination",
        "Anda berhak dilayani dengan sopan, tepat waktu dan tanpa diskriminasi. Penyandang disabilitas, lansia, ibu hamil dan anak-anak berhak atas pelayanan khusus.",
        "You have the right to be served politely, on time and without discrimination. People with disabilities, older people, pregnant women and children have the right to special service.",
        UU_PELAYANAN,
        UU_PUBLIC_SERVICES,
    ),
    (
        "applicant",
        "right",
        "Hanya membayar biaya resmi",
        "To pay only the official fee",
        "Biaya layanan keimigrasian adalah Penerimaan Negara Bukan Pajak (PNBP) dan dibayar hanya dengan kode billing atau QRIS yang muncul di permohonan Anda. Petugas tidak pernah meminta pembayaran ke rekening pribadi.",
        "Immigration fees are non-tax state revenue (PNBP) and are paid only with the billing code or QRIS shown in your application. Officers never ask for payment into a personal account.",
        f"{UU_PELAYANAN}; peraturan pemerintah tentang tarif PNBP",
        f"{UU_PUBLIC_SERVICES}; the government regulation on PNBP fees",
    ),
    (
        "applicant",
        "right",
        "Mengadu dan mendapat tanggapan",
        "To complain and get an answer",
        "Anda berhak mengadukan pelayanan yang tidak sesuai standar kepada penyelenggara, Ombudsman, atau DPR/DPRD, dan mendapat tanggapan atas pengaduan Anda. Di Gerbang, laporan melalui LAPOR diverifikasi dalam 3 hari kerja dan Anda dapat mengikuti setiap langkahnya.",
        "You have the right to complain about a service that falls short of its standard to the provider, the Ombudsman or the legislature, and to get an answer. On Gerbang, a LAPOR report is verified within 3 working days and you can follow every step.",
        f"{UU_PELAYANAN}, Pasal 18 dan Pasal 40",
        f"{UU_PUBLIC_SERVICES}, Articles 18 and 40",
    ),
    (
        "applicant",
        "right",
        "Menilai pelayanan",
        "To rate the service",
        "Setelah dilayani, Anda dapat mengisi survei kepuasan masyarakat (SKM). Hasilnya, indeks kepuasan masyarakat (IKM), diumumkan dan dipakai untuk memperbaiki pelayanan.",
        "After your service you may fill in the public satisfaction survey (SKM). Its result, the satisfaction index (IKM), is published and used to improve the service.",
        f"{UU_PELAYANAN}; PermenPANRB No. 14/2017",
        f"{UU_PUBLIC_SERVICES}; Ministerial Regulation PANRB No. 14/2017",
    ),
    (
        "applicant",
        "right",
        "Perlindungan data pribadi Anda",
        "Protection of your personal data",
        "Anda berhak mengetahui data apa yang disimpan dan untuk apa, mendapat salinannya, memperbaiki data yang salah, menarik persetujuan, dan meminta penghapusan data yang tidak wajib disimpan menurut hukum.",
        "You have the right to know what data is held and why, to get a copy, to have wrong data corrected, to withdraw a consent, and to have data erased that the law does not require to be kept.",
        f"{UU_PDP}, Pasal 6 sampai 9",
        f"{UU_PDP_EN}, Articles 6 to 9",
    ),
    (
        "applicant",
        "duty",
        "Memberi data yang benar",
        "To give true information",
        "Isi formulir dengan data yang benar dan lengkap, dan unggah dokumen asli yang sah. Memberikan data palsu untuk memperoleh dokumen perjalanan adalah tindak pidana.",
        "Fill in the form truthfully and completely and upload genuine, valid documents. Giving false information to obtain a travel document is a criminal offence.",
        UU_KEIMIGRASIAN,
        UU_IMMIGRATION,
    ),
    (
        "applicant",
        "duty",
        "Memenuhi persyaratan layanan",
        "To meet the service's requirements",
        "Penuhi persyaratan yang tercantum dalam standar pelayanan, datang sesuai jadwal dengan dokumen asli, dan ikut menjaga sarana dan fasilitas pelayanan.",
        "Meet the requirements of the service standard, come at your appointment with the original documents, and help look after the service's premises and facilities.",
        f"{UU_PELAYANAN}, Pasal 19",
        f"{UU_PUBLIC_SERVICES}, Article 19",
    ),
    (
        "applicant",
        "duty",
        "Memiliki dokumen perjalanan yang sah",
        "To hold a valid travel document",
        "Setiap orang yang masuk atau keluar wilayah Indonesia wajib memiliki dokumen perjalanan yang sah dan masih berlaku. Laporkan paspor yang hilang atau rusak dan ajukan penggantiannya.",
        "Everyone entering or leaving Indonesia must hold a valid travel document. Report a lost or damaged passport and apply for its replacement.",
        f"{UU_KEIMIGRASIAN}, Pasal 8",
        f"{UU_IMMIGRATION}, Article 8",
    ),
    # --- Foreigners in Indonesia ----------------------------------------------------------------
    (
        "foreigner",
        "right",
        "Pelayanan dan informasi yang sama",
        "The same service and information",
        "Orang asing berhak atas standar pelayanan, pengaduan dan perlindungan data pribadi yang sama seperti pemohon lain. Halaman ini dan seluruh layanan tersedia dalam bahasa Inggris.",
        "Foreigners have the same rights to the service standard, to complain and to the protection of their personal data as every applicant. This page and every service are available in English.",
        f"{UU_PELAYANAN}; {UU_PDP}",
        f"{UU_PUBLIC_SERVICES}; {UU_PDP_EN}",
    ),
    (
        "foreigner",
        "right",
        "Mengetahui keputusan atas permohonan Anda",
        "To know the decision on your application",
        "Anda diberi tahu setiap keputusan atas permohonan visa atau izin tinggal Anda beserta alasannya, dan apa yang dapat Anda lakukan selanjutnya.",
        "You are told every decision on your visa or stay-permit application with its reasons, and what you can do next.",
        f"{UU_KEIMIGRASIAN}; {PP_KEIMIGRASIAN}",
        f"{UU_IMMIGRATION}; {PP_IMMIGRATION}",
    ),
    (
        "foreigner",
        "duty",
        "Memiliki izin tinggal yang berlaku",
        "To hold a valid stay permit",
        "Setiap orang asing yang berada di wilayah Indonesia wajib memiliki izin tinggal yang sesuai dengan maksud dan tujuan kedatangannya, dan memperpanjangnya sebelum habis masa berlakunya.",
        "Every foreigner in Indonesia must hold a stay permit that matches the purpose of the stay, and extend it before it expires.",
        f"{UU_KEIMIGRASIAN}, Pasal 48",
        f"{UU_IMMIGRATION}, Article 48",
    ),
    (
        "foreigner",
        "duty",
        "Melaporkan perubahan data",
        "To report changes",
        "Orang asing wajib memberikan keterangan yang diperlukan tentang identitas diri dan keluarganya, serta melaporkan perubahan status sipil, kewarganegaraan, pekerjaan, penjamin, atau alamat kepada kantor imigrasi.",
        "Foreigners must give the information needed about themselves and their family, and report a change of civil status, nationality, employment, guarantor or address to the immigration office.",
        f"{UU_KEIMIGRASIAN}, Pasal 71",
        f"{UU_IMMIGRATION}, Article 71",
    ),
    (
        "foreigner",
        "duty",
        "Menunjukkan paspor atau izin tinggal bila diminta",
        "To show the passport or stay permit when asked",
        "Bawa atau simpan dengan aman paspor dan izin tinggal Anda, dan tunjukkan bila diminta oleh petugas imigrasi yang sedang bertugas.",
        "Keep your passport and stay permit safe and show them when an immigration officer on duty asks for them.",
        f"{UU_KEIMIGRASIAN}, Pasal 71",
        f"{UU_IMMIGRATION}, Article 71",
    ),
    (
        "foreigner",
        "duty",
        "Tidak tinggal melebihi izin",
        "Not to overstay",
        "Orang asing yang tinggal melebihi masa berlaku izin tinggalnya dikenai biaya beban per hari, dan bila lebih dari 60 hari dapat dikenai tindakan administratif keimigrasian, termasuk deportasi.",
        "A foreigner who stays past their permit pays a charge for each day; after more than 60 days they may face an administrative immigration measure, including deportation.",
        f"{UU_KEIMIGRASIAN}, Pasal 78",
        f"{UU_IMMIGRATION}, Article 78",
    ),
    (
        "foreigner",
        "duty",
        "Kegiatan sesuai izin tinggal",
        "Activities that match the permit",
        "Lakukan hanya kegiatan yang sesuai dengan visa dan izin tinggal Anda; misalnya, bekerja memerlukan izin yang sesuai. Penjamin Anda ikut bertanggung jawab atas keberadaan dan kegiatan Anda.",
        "Do only what your visa and stay permit allow; working, for example, needs the right permit. Your guarantor shares responsibility for your stay and activities.",
        f"{UU_KEIMIGRASIAN}; {PP_KEIMIGRASIAN}",
        f"{UU_IMMIGRATION}; {PP_IMMIGRATION}",
    ),
]
