"""Schemes every new branch starts with (editable later). Units from SKKNI No. 38 Tahun 2019
and No. 309 Tahun 2017, as listed in the domain notes (FORMS-AND-RULES.md, section B)."""

AHLI_K3_UMUM = {
    "number": "SKM/K3/AHLI-K3-UMUM/2025",
    "title": "Ahli K3 Umum",
    "kind": "Okupasi",
    "fee": 3_500_000,  # rupiah; each branch sets its own fee
    "validity_years": 3,
    "units": [
        {"code": "M.71KKK00.001.1", "title": "Menerapkan Peraturan Perundang-undangan dan Standar dalam Pengujian K3"},
        {"code": "M.71KKK00.002.1", "title": "Melakukan Survei Potensi Bahaya K3"},
        {"code": "M.71KKK01.001.1", "title": "Merancang Strategi Pengendalian Risiko K3 di Tempat Kerja"},
        {"code": "M.71KKK01.002.1", "title": "Merancang Sistem Tanggap Darurat"},
        {"code": "M.71KKK01.003.1", "title": "Melakukan Komunikasi K3"},
        {"code": "M.71KKK01.009.1", "title": "Menerapkan Program Pelayanan Kesehatan Kerja"},
        {"code": "M.71KKK01.010.1", "title": "Mengelola Sistem Dokumentasi K3"},
        {"code": "M.71KKK01.011.1", "title": "Menerapkan Manajemen Risiko K3"},
        {"code": "M.71KKK01.012.1", "title": "Mengevaluasi Pemenuhan Persyaratan dan Prosedur K3"},
        {"code": "M.71KKK01.013.1", "title": "Melakukan Investigasi Kecelakaan Kerja"},
    ],
}

DEFAULT_SCHEMES = [AHLI_K3_UMUM]
