"""The five K3 schemes of the SOP (LSP KATIGA PASS, 1 July 2025) that every new branch starts with.

Units come from the domain notes (FORMS-AND-RULES.md, section B). Elements and KUK are those of
SKKNI No. 38 Tahun 2019 and No. 309 Tahun 2017 as digitised in LSP UNISA Yogyakarta's MUK K3 (the
notes' source X-UNISA); units it does not cover carry no elements yet. No source gave the units of
Pengawasan K3 Migas or Investigasi Insiden, so those start with none, unpublished, for the branch
to supply: no invented codes. Fees, basic requirements and kinds are defaults each branch revises.
"""
from typing import Any

from services.registration.domain import METHODS

SKKNI_309_2017 = "SKKNI No. 309 Tahun 2017"
SKKNI_38_2019 = "SKKNI No. 38 Tahun 2019"
FEE = 3_500_000  # rupiah; each branch sets its own fee

# SOP 1.1.2 and 3.3.1-3.3.5: what the asesi prepares for a remote assessment.
REMOTE_REQUIREMENTS = [
    "Laptop atau komputer dengan kamera dan mikrofon sebagai kamera utama",
    "Telepon genggam (HP) dengan kamera sebagai kamera kedua",
    "Jaringan internet yang stabil selama asesmen",
    "Ruangan yang tenang dan tidak dimasuki orang lain selama asesmen",
    "Baterai laptop dan HP terisi penuh, atau pengisi daya tersedia",
    "Aplikasi video conference (Zoom atau Google Meet) yang sudah terpasang",
]


def element(number: int, title: str, *kuk: str) -> dict[str, Any]:
    return {"number": str(number), "title": title,
            "kuk": [{"number": f"{number}.{i}", "text": text} for i, text in enumerate(kuk, 1)]}


def unit(code: str, title: str, reference: str, *elements: dict[str, Any],
         standard_type: str = "SKKNI") -> dict[str, Any]:
    return {"code": code, "title": title, "standard_type": standard_type, "reference": reference,
            "elements": list(elements)}


def requirements(training: str) -> list[dict[str, str]]:
    return [
        {"code": "PD-01", "title": "Fotokopi ijazah pendidikan terakhir dan transkrip nilai",
         "category": "persyaratan_dasar"},
        {"code": "PD-02", "title": training, "category": "persyaratan_dasar"},
        {"code": "PD-03", "title": "Surat keterangan kerja atau bukti pengalaman kerja di bidang K3",
         "category": "persyaratan_dasar"},
        {"code": "ADM-01", "title": "Fotokopi KTP", "category": "administratif"},
        {"code": "ADM-02", "title": "Pas foto terbaru 3x4 berlatar merah", "category": "administratif"},
        {"code": "ADM-03", "title": "Daftar riwayat hidup (CV)", "category": "administratif"},
    ]


UNITS = {u["code"]: u for u in [
    unit("M.71KKK00.001.1", "Menerapkan Peraturan Perundang-undangan dan Standar dalam Pengujian K3",
         SKKNI_309_2017,
         element(1, "Mengidentifikasi pengujian K3 sesuai peraturan perundang-undangan dan standar pengujian K3 "
                    "yang digunakan di tempat kerja",
                 "Peraturan perundang-undangan dan standar K3 diidentifikasi sebagai dasar perlindungan tenaga kerja.",
                 "Peraturan perundang-undangan dan standar pengujian K3 di tempat kerja dikelompokkan berdasarkan "
                 "bidang pengujian K3."),
         element(2, "Melaksanakan peraturan perundang-undangan dan standar pengujian K3 di tempat kerja",
                 "Peraturan perundang-undangan dilaksanakan sesuai dengan bidang pengujian K3.",
                 "Standar pengujian dilaksanakan sesuai dengan bidang pengujian K3.",
                 "Peraturan perundang-undangan dan standar pengujian K3 didokumentasikan sesuai dengan bidang "
                 "pengujian K3.")),
    unit("M.71KKK00.002.1", "Melakukan Survei Potensi Bahaya K3", SKKNI_309_2017,
         element(1, "Mengidentifikasi potensi bahaya K3 di tempat kerja",
                 "Sarana untuk survei potensi bahaya disiapkan sesuai jenis tempat kerja.",
                 "Potensi bahaya K3 di tempat kerja diidentifikasi sesuai diagram alur proses produksi.",
                 "Sumber bahaya diidentifikasi sesuai potensi bahaya K3 di tempat kerja.",
                 "Tenaga kerja yang berisiko diidentifikasi sesuai pajanan bahaya K3 di tempat kerja.",
                 "Lingkungan tempat kerja yang berisiko diidentifikasi sesuai potensi bahaya K3.",
                 "Informasi pengendalian bahaya yang sudah dilakukan diidentifikasi sesuai hirarki pengendalian."),
         element(2, "Menetapkan jenis pengujian K3",
                 "Sampling pengujian ditentukan sesuai dengan hasil identifikasi potensi bahaya K3 di tempat kerja.",
                 "Pemetaan potensi bahaya K3 dibuat sesuai dengan penentuan sampling pengujian K3.",
                 "Tenaga kerja yang terkena dampak potensi bahaya ditentukan sesuai hasil identifikasi potensi "
                 "bahaya K3 di tempat kerja.",
                 "Jenis pengujian K3 ditentukan sesuai dengan potensi bahaya K3.")),
    unit("M.71KKK01.001.1", "Merancang Strategi Pengendalian Risiko K3 di Tempat Kerja", SKKNI_38_2019),
    unit("M.71KKK01.002.1", "Merancang Sistem Tanggap Darurat", SKKNI_38_2019),
    unit("M.71KKK01.003.1", "Melakukan Komunikasi K3", SKKNI_38_2019,
         element(1, "Merencanakan proses kegiatan komunikasi K3",
                 "Permasalahan K3 yang terjadi di tempat kerja diidentifikasi berdasarkan masukan dari pekerja.",
                 "Permasalahan K3 yang terjadi di luar perusahaan dipertimbangkan sebagai masukan.",
                 "Petugas K3 yang menangani komunikasi ditentukan tugas dan tanggung jawabnya.",
                 "Sumber dan cara akses informasi diidentifikasi sesuai permasalahan K3."),
         element(2, "Melaksanakan proses komunikasi K3",
                 "Informasi tentang efektifitas pencegahan bahaya di tempat kerja dikomunikasikan kepada tenaga "
                 "kerja sebagai masukan internal.",
                 "Informasi K3 yang membutuhkan kerjasama secara eksternal dikonsultasikan dengan pihak pemangku "
                 "kepentingan.",
                 "Informasi dan masukan secara internal dan eksternal dicatat sebagai bahan penanganan masalah K3 "
                 "di tempat kerja.",
                 "Informasi dan masukan secara internal dan eksternal tentang penanganan masalah K3 "
                 "dikonfirmasikan dengan rekan kerja.",
                 "Bahan komunikasi K3 dibuat sesuai hasil pembicaraan dengan rekan kerja.",
                 "Metode komunikasi K3 dibuat sesuai dengan kebutuhan."),
         element(3, "Memonitor pelaksanaan tindak lanjut hasil komunikasi K3",
                 "Bahan komunikasi K3 didistribusikan ke pihak terkait sesuai pengendalian permasalahan K3 di "
                 "tempat kerja.",
                 "Status penyebaran informasi dan penerapannya dipastikan sudah dilakukan oleh pihak terkait."),
         element(4, "Melaporkan kegiatan komunikasi K3",
                 "Laporan hasil komunikasi K3 disusun sesuai format yang berlaku.",
                 "Laporan hasil komunikasi K3 disampaikan ke atasan dan pihak terkait.",
                 "Laporan hasil komunikasi K3 didokumentasikan sesuai prosedur.")),
    unit("M.71KKK01.004.1", "Mengawasi Penerapan Izin Kerja", SKKNI_38_2019,
         element(1, "Mempersiapkan izin kerja",
                 "Jenis izin kerja diidentifikasi sesuai dengan aktivitas kerja.",
                 "Prosedur izin kerja diidentifikasi sesuai ketentuan K3."),
         element(2, "Mengawasi penerapan izin kerja di tempat kerja",
                 "Pelaksanaan prosedur kerja dipantau sesuai izin kerja.",
                 "Penyimpangan terhadap persyaratan izin kerja diidentifikasi sesuai peraturan yang berlaku."),
         element(3, "Melaporkan hasil pengawasan izin kerja",
                 "Penutupan izin kerja dilaporkan setelah pekerjaan selesai atau batas waktu yang ditentukan "
                 "sesuai dengan prosedur.",
                 "Laporan didokumentasikan sesuai prosedur.")),
    unit("M.71KKK01.005.1", "Melakukan Pengukuran Faktor Bahaya di Tempat Kerja", SKKNI_38_2019,
         element(1, "Mempersiapkan pengukuran faktor bahaya di tempat kerja",
                 "Faktor bahaya di tempat kerja dikelompokkan sesuai hasil identifikasi.",
                 "Formulir disiapkan untuk pengukuran faktor bahaya di tempat kerja.",
                 "Sarana pengukuran disiapkan untuk mengambil data bahaya di tempat kerja."),
         element(2, "Melaksanakan pengukuran faktor bahaya di tempat kerja",
                 "Metode pengukuran faktor bahaya di tempat kerja ditentukan sesuai strategi sampling.",
                 "Alat Pelindung Diri (APD) digunakan sesuai faktor bahaya di lingkungan kerja.",
                 "Pengukuran faktor bahaya di tempat kerja dilakukan sesuai standar dan pemetaan titik sampling.",
                 "Alat ukur faktor bahaya K3 digunakan sesuai prosedur.",
                 "Hasil pengukuran dibandingkan dengan peraturan perundang-undangan atau standar yang berlaku."),
         element(3, "Melaporkan hasil pengukuran faktor bahaya di tempat kerja",
                 "Laporan hasil pengukuran disusun sesuai format yang berlaku.",
                 "Laporan disampaikan kepada atasan langsung.",
                 "Laporan didokumentasikan sesuai prosedur.")),
    unit("M.71KKK01.007.1", "Mengelola Tindakan Tanggap Darurat", SKKNI_38_2019,
         element(1, "Merencanakan pelaksanaan tanggap darurat di tempat kerja",
                 "Program, petugas dan peralatan tanggap darurat serta perlengkapannya diperiksa sesuai "
                 "persyaratan K3.",
                 "Sistem dan sarana komunikasi untuk tanggap darurat dipastikan masih berfungsi dengan baik."),
         element(2, "Melaksanakan tanggap darurat di tempat kerja",
                 "Program dan prosedur tanggap darurat diterapkan sesuai kondisi darurat yang terjadi.",
                 "Tim tanggap darurat dipastikan menjalankan peran dan tugasnya.",
                 "Peralatan tanggap darurat serta perlengkapannya digunakan sesuai kondisi darurat yang terjadi.",
                 "Sistem dan sarana komunikasi tanggap darurat digunakan sesuai kondisi darurat yang terjadi."),
         element(3, "Mengevaluasi hasil pelaksanaan tanggap darurat di tempat kerja",
                 "Pelaksanaan tanggap darurat dievaluasi sesuai dengan prosedur yang berlaku.",
                 "Laporan hasil evaluasi disusun sesuai dengan format yang berlaku.",
                 "Hasil evaluasi dilaporkan kepada pihak terkait di tempat kerja.",
                 "Laporan hasil evaluasi didokumentasikan sesuai dengan prosedur.")),
    unit("M.71KKK01.008.1", "Mengelola Alat Pelindung Diri di Tempat Kerja", SKKNI_38_2019,
         element(1, "Mempersiapkan APD yang diperlukan di tempat kerja",
                 "Jenis dan spesifikasi APD ditentukan sesuai faktor bahaya di tempat kerja.",
                 "Jumlah dan ketersediaan APD diidentifikasi sesuai kebutuhan di tempat kerja.",
                 "Prosedur penyimpanan, penggunaan, pemeriksaan dan pemusnahan dipersiapkan sesuai dengan standar "
                 "yang berlaku."),
         element(2, "Memeriksa kondisi APD di tempat kerja",
                 "Kelayakan fisik APD diperiksa sesuai dengan prosedur.",
                 "Kelayakan fungsi APD diperiksa sesuai dengan prosedur.",
                 "Kondisi APD yang tidak layak dipastikan tidak digunakan, diganti dan dimusnahkan sesuai peraturan "
                 "perundang-undangan atau standar yang berlaku."),
         element(3, "Melaporkan hasil pengelolaan APD",
                 "Laporan hasil pengelolaan APD disusun sesuai format yang berlaku.",
                 "Laporan hasil pengelolaan APD disampaikan ke pihak terkait.",
                 "Laporan hasil pengelolaan APD didokumentasikan sesuai prosedur yang berlaku.")),
    unit("M.71KKK01.009.1", "Menerapkan Program Pelayanan Kesehatan Kerja", SKKNI_38_2019),
    unit("M.71KKK01.010.1", "Mengelola Sistem Dokumentasi K3", SKKNI_38_2019,
         element(1, "Mempersiapkan sistem dokumentasi K3 yang dibutuhkan di tempat kerja",
                 "Sumber dokumentasi K3 diidentifikasi berdasarkan kebutuhan aktivitas kerja.",
                 "Pihak yang terkait diidentifikasi sesuai kebutuhan aktivitas kerja.",
                 "Jenis media dokumentasi K3 diidentifikasi sesuai kebutuhan aktivitas kerja."),
         element(2, "Melakukan pemenuhan sistem dokumentasi K3",
                 "Prosedur pengendalian dokumen K3 dibuat berdasarkan kebutuhan aktivitas kerja.",
                 "Jenis dan media penyebaran dokumen K3 diklasifikasikan berdasarkan kebutuhan aktivitas kerja.",
                 "Dokumen K3 didistribusikan kepada pihak yang terkait."),
         element(3, "Mengevaluasi sistem dokumentasi K3",
                 "Ketersediaan dokumen K3 ditinjau berdasarkan potensi bahaya dan tingkat risiko.",
                 "Dokumen K3 dipastikan mudah diakses.",
                 "Dokumen K3 dilakukan pemutakhiran sesuai peraturan perundang-undangan K3 dan perkembangan yang "
                 "berlaku."),
         element(4, "Melaporkan hasil evaluasi sistem dokumentasi K3",
                 "Laporan hasil evaluasi dokumen K3 disusun sesuai format yang berlaku.",
                 "Laporan hasil evaluasi disampaikan kepada pihak terkait.",
                 "Laporan didokumentasikan sesuai prosedur.")),
    unit("M.71KKK01.011.1", "Menerapkan Manajemen Risiko K3", SKKNI_38_2019),
    unit("M.71KKK01.012.1", "Mengevaluasi Pemenuhan Persyaratan dan Prosedur K3", SKKNI_38_2019),
    unit("M.71KKK01.013.1", "Melakukan Investigasi Kecelakaan Kerja", SKKNI_38_2019,
         element(1, "Mempersiapkan kegiatan investigasi kecelakaan kerja",
                 "Tingkat keparahan dan keseringan diidentifikasi sesuai kejadian.",
                 "Area/lokasi terjadinya kecelakaan diidentifikasi sesuai jenis kejadian.",
                 "Sarana dan prasarana investigasi diinventarisir sesuai jenis kejadian.",
                 "Personil dalam tim investigasi ditentukan sesuai peran dan tanggung jawab.",
                 "Dokumen yang terkait investigasi disiapkan sesuai kebutuhan investigasi."),
         element(2, "Melaksanakan kegiatan investigasi kecelakaan kerja",
                 "Lokasi kejadian diamankan sesuai dengan prosedur investigasi.",
                 "Kondisi kejadian akibat kecelakaan didokumentasikan sesuai kebutuhan investigasi.",
                 "Personil yang terkait kecelakaan ditentukan sesuai kejadian.",
                 "Pencarian penyebab dan sub penyebab kecelakaan dilakukan dengan metode 5 W dan 1 H.",
                 "Rekomendasi atau tindakan perbaikan dibuat sesuai hasil investigasi."),
         element(3, "Melaporkan hasil kegiatan investigasi kecelakaan kerja",
                 "Laporan hasil investigasi kecelakaan disusun sesuai format peraturan perundang-undangan yang "
                 "berlaku.",
                 "Laporan hasil investigasi disampaikan ke pihak yang terkait.",
                 "Laporan hasil investigasi didokumentasikan sesuai prosedur.")),
    # Special standards of the laboratory scheme, each with the unit it was mapped to. The source maps
    # HIRADC to M.71KKK01.002.1, titled "Merancang Sistem Tanggap Darurat" elsewhere: the LSP verifies.
    unit("SP.K3L.001.01", "Melakukan Identifikasi Bahaya dan Penilaian Risiko (HIRADC) di Laboratorium",
         "Standar Khusus; unit acuan M.71KKK01.002.1", standard_type="Standar Khusus"),
    unit("SP.K3L.002.01", "Mengelola Penyimpanan dan Penanganan Bahan Kimia Berbahaya (B3)",
         "Standar Khusus; unit acuan M.749000.017.01", standard_type="Standar Khusus"),
    unit("SP.K3L.003.01", "Melakukan Pengelolaan dan Penyimpanan Limbah B3 Laboratorium",
         "Standar Khusus; unit acuan E.38PLB00.008.1", standard_type="Standar Khusus"),
    unit("SP.K3L.004.01", "Mengelola Tindakan Tanggap Darurat di Laboratorium",
         "Standar Khusus; unit acuan M.71KKK01.007.1", standard_type="Standar Khusus"),
    unit("SP.K3L.005.01", "Melakukan Inspeksi K3 dan Lingkungan Kerja Laboratorium",
         "Standar Khusus; unit acuan IMG.KK02.012.01", standard_type="Standar Khusus"),
]}


def units(*codes: str) -> list[dict[str, Any]]:
    return [UNITS[code] for code in codes]


def scheme(number: str, title: str, kind: str, scheme_units: list[dict[str, Any]], training: str,
           published: bool = True) -> dict[str, Any]:
    return {"number": number, "title": title, "kind": kind, "units": scheme_units, "fee": FEE,
            "validity_years": 3, "requirements": requirements(training), "methods": list(METHODS),
            "remote_requirements": REMOTE_REQUIREMENTS, "published": published}


# Kinds follow the names: a role is Okupasi, an activity Klaster. The branch corrects them by revision.
AHLI_K3_UMUM = scheme(
    "SKM/K3/AHLI-K3-UMUM/2025", "Ahli K3 Umum", "Okupasi",
    units("M.71KKK00.001.1", "M.71KKK00.002.1", "M.71KKK01.001.1", "M.71KKK01.002.1", "M.71KKK01.003.1",
          "M.71KKK01.009.1", "M.71KKK01.010.1", "M.71KKK01.011.1", "M.71KKK01.012.1", "M.71KKK01.013.1"),
    "Sertifikat pelatihan Ahli K3 Umum")

PETUGAS_K3 = scheme(
    "SKM/K3/PETUGAS-K3/2025", "Petugas K3", "Okupasi",
    units("M.71KKK00.001.1", "M.71KKK00.002.1", "M.71KKK01.003.1", "M.71KKK01.004.1", "M.71KKK01.005.1",
          "M.71KKK01.007.1", "M.71KKK01.008.1", "M.71KKK01.010.1", "M.71KKK01.013.1"),
    "Sertifikat pelatihan berbasis kompetensi bidang K3")

PENGAWASAN_K3_MIGAS = scheme(
    "SKM/K3/PENGAWASAN-K3-MIGAS/2025", "Pengawasan K3 Migas", "Klaster", [],
    "Sertifikat pelatihan K3 bidang minyak dan gas bumi", published=False)  # units: to be supplied by the LSP

INVESTIGASI_INSIDEN = scheme(
    "SKM/K3/INVESTIGASI-INSIDEN/2025", "Investigasi Insiden", "Klaster", [],
    "Sertifikat pelatihan investigasi insiden atau kecelakaan kerja", published=False)  # units: from the LSP

PELAKSANAAN_K3_LABORATORIUM = scheme(
    "SKM/K3/PELAKSANAAN-K3-LAB/2025", "Pelaksanaan K3 Laboratorium", "Klaster",
    units("SP.K3L.001.01", "SP.K3L.002.01", "SP.K3L.003.01", "SP.K3L.004.01", "SP.K3L.005.01"),
    "Sertifikat pelatihan K3 laboratorium")

# Ahli K3 Umum first: callers that take "the default scheme" take the first.
DEFAULT_SCHEMES = [AHLI_K3_UMUM, PETUGAS_K3, PENGAWASAN_K3_MIGAS, INVESTIGASI_INSIDEN, PELAKSANAAN_K3_LABORATORIUM]
