"""Sample data every tier uses: the branch and the people unit tests act as, FR.APL.01 Bagian 1 of
the asesi, tiny real files built byte by byte (checked to decode with Pillow and pypdf in strict mode),
and a PDF's text read back."""
import io
import struct
import zlib

from pypdf import PdfReader

TENANT = "JKT01"
ADMIN = {"id": "admin-1", "role": "admin_lsp", "name": "Sari"}
ASESI = {"id": "asesi-1", "role": "asesi", "name": "Budi Santoso"}

# FR.APL.01 Bagian 1 of the asesi the e2e tests use (fictional)
PERSONAL_DATA = {
    "nama_lengkap": "Budi Santoso", "nik": "3174010101900001", "tempat_lahir": "Jakarta",
    "tanggal_lahir": "1990-01-01", "jenis_kelamin": "L", "kebangsaan": "Indonesia",
    "alamat_rumah": "Jl. Melati No. 7, Jakarta Selatan", "kode_pos": "12430", "hp": "081234567890",
    "email": "budi@contoh.co.id", "kualifikasi_pendidikan": "S1", "institusi": "PT Konstruksi Aman",
    "jabatan": "Safety Officer", "alamat_kantor": "Jl. Sudirman Kav. 1, Jakarta", "kode_pos_kantor": "10220",
    "telp_kantor": "021-5550199", "fax_kantor": "021-5550198", "email_kantor": "budi.s@konstruksiaman.co.id"}


def tiny_pdf(text: str = "", padding: int = 0) -> bytes:
    """A minimal valid one-page PDF (header, objects, xref, trailer, %%EOF); text makes it unique,
    padding (a comment of that many bytes) makes it large."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>"]
    out, offsets = b"%PDF-1.4\n%" + text.encode() + b"x" * padding + b"\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def pdf_of_size(size: int) -> bytes:
    overhead = len(tiny_pdf(padding=size)) - size  # offsets of about this size have as many digits
    content = tiny_pdf(padding=size - overhead)
    assert len(content) == size
    return content


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def tiny_png() -> bytes:  # one red pixel
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + png_chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + png_chunk(b"IEND", b""))


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def tiny_jpeg() -> bytes:  # 8x8 grey baseline JPEG: one-code Huffman tables, DC 0 then end of block
    one_code = bytes([1] + [0] * 15) + b"\x00"
    return (b"\xff\xd8" + _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
            + _segment(0xDB, b"\x00" + bytes([1] * 64))
            + _segment(0xC0, b"\x08" + struct.pack(">HH", 8, 8) + b"\x01\x01\x11\x00")
            + _segment(0xC4, b"\x00" + one_code) + _segment(0xC4, b"\x10" + one_code)
            + _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00") + b"\x3f" + b"\xff\xd9")


def pdf_text(pdf: bytes) -> str:
    """The text of every page of a PDF, a line break between pages."""
    assert pdf.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def squeezed(text: str) -> str:
    """Without whitespace: a paragraph wraps at any space (or inside a long word) in the PDF."""
    return "".join(text.split())
