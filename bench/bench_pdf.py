"""How long an official PDF takes to render (shared/documents.py, fpdf2): a ten-page FR.APL.02 grid, the
same through registration's apl02_pdf, and a one-page FR.APL.01.

    python bench/bench_pdf.py [repeats]
"""
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader  # noqa: E402

from services.registration.documents import apl02_pdf  # noqa: E402
from services.registration.forms import APL01, APL02  # noqa: E402
from shared.documents import Letterhead, form_pdf  # noqa: E402
from shared.signing import sign  # noqa: E402

LETTERHEAD = Letterhead("LSP Katiga Pass — Cabang Bandung", "Jl. Asia Afrika No. 1, Bandung 40111", "BNSP-LSP-123-ID")
SIGNER = {"id": "u-1", "name": "Nguyễn Thị Ánh", "role": "asesi"}


def scheme(units: int) -> dict:
    """A scheme of `units` units of 4 elements with 3 KUK each (a real K3 unit is about this size)."""
    return {"units": [{"code": f"M.71KKK01.{u:03}.1", "title": f"Menerapkan ketentuan K3 bagian {u}", "elements": [
        {"number": e, "title": f"Mengidentifikasi dan menerapkan peraturan perundangan K3 ({e})",
         "kuk": [{"number": f"{e}.{k}", "text": "Peraturan perundangan K3 yang berlaku diidentifikasi dan "
                                                "diterapkan sesuai prosedur"} for k in range(1, 4)]}
        for e in range(1, 5)]} for u in range(1, units + 1)]}


def answers(grid_scheme: dict) -> dict:
    return {row.key: {"answer": "K" if n % 3 else "BK"} for n, row in enumerate(APL02.grid.rows(grid_scheme))}


def read_model(grid_scheme: dict) -> dict:
    """registration's read model of a submitted FR.APL.02 for the same scheme."""
    files = [{"file_id": f"{i:064x}", "filename": f"bukti-{i}.pdf", "source": "portofolio", "title": "b"}
             for i in range(1, 4)]
    items = [{"unit_code": u["code"], "unit_title": u["title"], "element_no": str(e["number"]),
              "element_title": e["title"], "kuk": e["kuk"], "answer": "K", "evidence": [files[0]["file_id"]]}
             for u in grid_scheme["units"] for e in u["elements"]]
    return {"id": "5c1f6a0e-0000-4000-8000-000000000001", "asesi": {"id": "a1", "name": SIGNER["name"]},
            "scheme": {"title": "Ahli K3 Umum", "number": "SKM/K3/2025", "kind": "Okupasi", "version": 1},
            "self_assessment": {"status": "submitted", "items": items, "files": files,
                                "signature": sign(SIGNER, {"x": 1})}}


def timed(render, repeats: int) -> tuple[list[float], bytes]:
    times, pdf = [], b""
    for _ in range(repeats):
        start = time.perf_counter()
        pdf = render()
        times.append(time.perf_counter() - start)
    return times, pdf


def report(name: str, times: list[float], pdf: bytes) -> None:
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"{name:<50} {pages:>3} pages  {len(pdf) / 1024:>6.0f} KiB  median {statistics.median(times) * 1000:>6.0f} ms"
          f"  min {min(times) * 1000:>6.0f} ms  per page {statistics.median(times) / pages * 1000:>5.0f} ms")


def main(repeats: int = 5) -> None:
    grid_scheme = scheme(units=13)  # ten pages with the letterhead, header and signature blocks
    signatures = {"asesi": sign(SIGNER, APL02.content({}, answers=answers(grid_scheme)))}
    times, pdf = timed(lambda: form_pdf(APL02, LETTERHEAD, {}, header=[("Nama asesi", SIGNER["name"])],
                                        scheme=grid_scheme, answers=answers(grid_scheme), signatures=signatures),
                       repeats)
    report("FR.APL.02 grid, form_pdf (13 units x 4 elements)", times, pdf)
    times, pdf = timed(lambda: apl02_pdf(read_model(grid_scheme), LETTERHEAD), repeats)
    report("FR.APL.02 registration apl02_pdf (same scheme)", times, pdf)
    values = APL01.sample()
    times, pdf = timed(lambda: form_pdf(APL01, LETTERHEAD, values, signatures={"asesi": sign(SIGNER, values)}),
                       repeats)
    report("FR.APL.01 form_pdf (every field filled)", times, pdf)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
