#!/usr/bin/env bash
# Letters, ours against LibreOffice, on the same machine in the same run, rounds alternated.
# Ours: the release letters bench (benches/letters.rs), compose + render per letter, the
# median of its own LETTERS_BENCH_ROUNDS rounds of 200 letters. LibreOffice: the same 200
# letters (the bench writes them as composed: same texts, the logo, the same letterhead,
# window address, references, justified body, signature and footer) as flat ODT (.fodt),
# converted to PDF by ONE `soffice --headless --convert-to pdf` process, wall clock divided by
# 200. Prints each round, the medians and the ratio (LibreOffice per letter / ours).
#
# Usage: scripts/bench-letters-vs-libreoffice.sh
# Environment: ROUNDS (3), LETTERS_BENCH_ROUNDS (3: rounds inside each run of ours), WORK
# (target/bench-letters-lo), LETTERS_BENCH_BIN (a letters bench binary already built, to
# compare two builds; by default the one cargo builds). LibreOffice is for measuring only (Debian:
# apt-get install --no-install-recommends libreoffice-writer-nogui); without `soffice` the
# script says so and stops.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v soffice >/dev/null 2>&1; then
  echo "soffice absent : comparaison avec LibreOffice ignorée (apt-get install libreoffice-writer-nogui)."
  exit 0
fi
ROUNDS="${ROUNDS:-3}"
export LETTERS_BENCH_ROUNDS="${LETTERS_BENCH_ROUNDS:-3}"
WORK="${WORK:-$PWD/target/bench-letters-lo}"
rm -rf "$WORK"
mkdir -p "$WORK/fodt"

bin="${LETTERS_BENCH_BIN:-}"
if [ -z "$bin" ]; then
  bin=$(cargo bench -p reclamations-core --bench letters --no-run 2>&1 | grep -o 'target/release/deps/letters-[0-9a-f]*' | tail -1)
fi
[ -x "$bin" ] || { echo "bench binary not found" >&2; exit 1; }
echo "LibreOffice: $(soffice --version | head -1)"

# The 200 letters as composed, and the logo, then the same letters as .fodt.
LETTERS_BENCH_ROUNDS=1 LETTERS_BENCH_DUMP="$WORK/dump" "$bin" >/dev/null
python3 - "$WORK/dump" "$WORK/fodt" <<'PY'
import base64, json, sys
from pathlib import Path
from xml.sax.saxutils import escape

dump, out = Path(sys.argv[1]), Path(sys.argv[2])
letters = json.loads((dump / "letters.json").read_text(encoding="utf-8"))
logo = (dump / "logo.png").read_bytes()
logo_b64 = base64.b64encode(logo).decode()
# The logo's size on the page, as ours: at most 30 x 22 mm.
w_px, h_px = int.from_bytes(logo[16:20], "big"), int.from_bytes(logo[20:24], "big")
scale = min(30 / w_px, 22 / h_px)
logo_w, logo_h = w_px * scale, h_px * scale

def text(s):
    return escape(s).replace("\n", "<text:line-break/>")

def p(style, s):
    return f'<text:p text:style-name="{style}">{text(s)}</text:p>'

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'" style:font-family-generic="swiss"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties fo:orphans="2" fo:widows="2"/>
  <style:text-properties style:font-name="Liberation Sans" fo:font-size="10.5pt" fo:language="fr" fo:country="FR"/>
 </style:default-style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="pm1">
  <style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm" fo:margin-top="14mm"
   fo:margin-bottom="8mm" fo:margin-left="22mm" fo:margin-right="20mm"/>
  <style:footer-style><style:header-footer-properties fo:min-height="12mm" fo:margin-top="4mm"/></style:footer-style>
 </style:page-layout>
 <style:style style:name="Name" style:family="paragraph">
  <style:paragraph-properties fo:margin-left="35mm"/>
  <style:text-properties fo:font-size="12pt" fo:font-weight="bold" fo:color="#1c3866"/>
 </style:style>
 <style:style style:name="Sender" style:family="paragraph">
  <style:paragraph-properties fo:margin-left="35mm"/>
  <style:text-properties fo:font-size="9pt" fo:color="#545454"/>
 </style:style>
 <style:style style:name="Address" style:family="paragraph">
  <style:paragraph-properties fo:margin-left="88mm" fo:line-height="4.8mm"/>
 </style:style>
 <style:style style:name="AddressFirst" style:family="paragraph" style:parent-style-name="Address">
  <style:paragraph-properties fo:margin-left="88mm" fo:margin-top="14mm" fo:line-height="4.8mm"/>
 </style:style>
 <style:style style:name="Date" style:family="paragraph">
  <style:paragraph-properties fo:margin-left="88mm" fo:margin-top="10mm"/>
  <style:text-properties fo:font-size="10pt"/>
 </style:style>
 <style:style style:name="Meta" style:family="paragraph">
  <style:paragraph-properties fo:margin-top="1.5mm"/>
  <style:text-properties fo:font-size="10pt"/>
 </style:style>
 <style:style style:name="Registered" style:family="paragraph">
  <style:paragraph-properties fo:margin-top="4mm"/>
  <style:text-properties fo:font-size="9.5pt" fo:font-weight="bold"/>
 </style:style>
 <style:style style:name="Subject" style:family="paragraph">
  <style:paragraph-properties fo:margin-top="1.5mm" fo:margin-bottom="6mm" fo:margin-left="13mm" fo:text-indent="-13mm"/>
  <style:text-properties fo:font-size="10pt" fo:font-weight="bold"/>
 </style:style>
 <style:style style:name="Body" style:family="paragraph">
  <style:paragraph-properties fo:text-align="justify" fo:margin-bottom="3.2mm" fo:line-height="4.9mm"/>
 </style:style>
 <style:style style:name="Item" style:family="paragraph" style:parent-style-name="Body">
  <style:paragraph-properties fo:text-align="justify" fo:margin-left="8mm" fo:text-indent="-5mm" fo:margin-bottom="1.2mm" fo:line-height="4.9mm"/>
 </style:style>
 <style:style style:name="Closing" style:family="paragraph" style:parent-style-name="Body">
  <style:paragraph-properties fo:text-align="justify" fo:keep-with-next="always" fo:margin-bottom="9mm" fo:line-height="4.9mm"/>
 </style:style>
 <style:style style:name="Signature" style:family="paragraph">
  <style:paragraph-properties fo:margin-left="96mm" fo:keep-with-next="always"/>
 </style:style>
 <style:style style:name="Footer" style:family="paragraph">
  <style:paragraph-properties fo:text-align="center" fo:border-top="0.14mm solid #999999" fo:padding-top="1.5mm"/>
  <style:text-properties fo:font-size="8pt" fo:color="#545454"/>
 </style:style>
 <style:style style:name="Digest" style:family="paragraph">
  <style:paragraph-properties fo:text-align="center"/>
  <style:text-properties fo:font-size="6.5pt" fo:color="#545454"/>
 </style:style>
 <style:style style:name="fr1" style:family="graphic">
  <style:graphic-properties style:wrap="run-through" style:vertical-pos="from-top" style:vertical-rel="page"
   style:horizontal-pos="from-left" style:horizontal-rel="page"/>
 </style:style>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="pm1">
  <style:footer>
   <text:p text:style-name="Footer">{footer} <text:tab/><text:page-number text:select-page="current"/>/<text:page-count/></text:p>
   <text:p text:style-name="Digest">{digest}</text:p>
  </style:footer>
 </style:master-page>
</office:master-styles>
<office:body><office:text>
"""

for i, d in enumerate(letters):
    head = d["letterhead"]
    parts = [HEAD.replace("{footer}", text(head["footer"])).replace("{digest}", text(d.get("register_digest", "")))]
    parts.append(
        '<text:p text:style-name="Name">'
        f'<draw:frame draw:style-name="fr1" draw:name="logo" text:anchor-type="page" text:anchor-page-number="1"'
        f' svg:x="22mm" svg:y="14mm" svg:width="{logo_w:.2f}mm" svg:height="{logo_h:.2f}mm">'
        f'<draw:image><office:binary-data>{logo_b64}</office:binary-data></draw:image></draw:frame>'
        f'{text(head["name"])}</text:p>'
    )
    parts += [p("Sender", line) for line in head["lines"]]
    for j, line in enumerate(d["recipient"]):
        parts.append(p("AddressFirst" if j == 0 else "Address", line))
    parts.append(p("Date", d["place_date"]))
    if d.get("registered_number"):
        parts.append(p("Registered", f"Lettre recommandée avec accusé de réception n° {d['registered_number']}"))
    parts.append(p("Meta", f"Réf. : {d['reference']}"))
    parts.append(p("Subject", f"Objet : {d['subject']}"))
    if d["salutation"]:
        parts.append(p("Body", d["salutation"]))
    for para in d["paragraphs"]:
        if para.startswith("- "):
            parts.append(p("Item", "–\t" + para[2:]))
        else:
            parts.append(p("Body", para))
    if d["closing"]:
        parts.append(p("Closing", d["closing"]))
    parts.append(p("Signature", d["signatory_name"]))
    parts.append(p("Signature", d["signatory_title"]))
    parts.append("</office:text></office:body></office:document>\n")
    (out / f"lettre-{i:03}.fodt").write_text("\n".join(parts), encoding="utf-8")
print(f"{len(letters)} letters written as .fodt")
PY

profile="file://$WORK/lo-profile"
lo_batch() {
  rm -rf "$WORK/pdf"
  soffice -env:UserInstallation="$profile" --headless --convert-to pdf --outdir "$WORK/pdf" "$WORK"/fodt/*.fodt >/dev/null 2>&1
}
# First start: LibreOffice creates its profile (not counted).
soffice -env:UserInstallation="$profile" --headless --convert-to pdf --outdir "$WORK/warm" "$WORK/fodt/lettre-000.fodt" >/dev/null 2>&1

n=$(ls "$WORK"/fodt/*.fodt | wc -l)
results="$WORK/results.tsv"
: > "$results"
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then order="ours lo"; else order="lo ours"; fi
  for tool in $order; do
    if [ "$tool" = ours ]; then
      line=$("$bin" | grep '^LETTERS_BENCH ')
      ms=$(echo "$line" | sed -n 's/.*compose_render_ms=\([0-9.]*\).*/\1/p')
      # The same run's archive (fsync) + journal, for the row « ≤ 2× compose + render ».
      printf 'archive\t%s\n' "$(echo "$line" | sed -n 's/.*archive_journal_ms=\([0-9.]*\).*/\1/p')" >> "$results"
    else
      t0=$(date +%s.%N)
      lo_batch
      t1=$(date +%s.%N)
      made=$(ls "$WORK"/pdf/*.pdf 2>/dev/null | wc -l)
      [ "$made" -eq "$n" ] || { echo "LibreOffice made $made PDFs of $n" >&2; exit 1; }
      ms=$(echo "scale=4; ($t1 - $t0) * 1000 / $n" | bc)
    fi
    printf 'round %s\t%s\t%s ms/letter\n' "$r" "$tool" "$ms"
    printf '%s\t%s\n' "$tool" "$ms" >> "$results"
  done
done

median() { awk -v t="$1" '$1==t {print $2}' "$results" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ours=$(median ours)
lo=$(median lo)
pages_lo=$(for f in "$WORK"/pdf/*.pdf; do pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}'; done | sort | uniq -c | tr '\n' ' ')
echo
echo "LibreOffice PDFs, count by pages: $pages_lo"
echo "| measure (median of $ROUNDS rounds, $n letters) | per letter |"
echo "|---|---|"
echo "| ours: compose + render | $ours ms |"
echo "| LibreOffice: .fodt to PDF, one soffice process | $lo ms |"
echo "| ratio (LibreOffice / ours) | $(echo "scale=1; $lo / $ours" | bc)× |"
archive=$(median archive)
echo "| ours: archive (write, fsync, link, folder fsync) + journal (one SQLite commit) | $archive ms ($(echo "scale=2; $archive / $ours" | bc)× compose + render) |"
