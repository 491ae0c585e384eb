#!/usr/bin/env bash
# Generates the FASTA / FAI / bgzip fixtures in tests/SeqLens.Tests/Fixtures/Fasta with samtools (htslib).
# Re-run from the repository root:  bash tools/make_fasta_fixtures.sh
# Needs samtools and python3 (installed from Debian when missing). Tests never run this; they read the output.
set -euo pipefail
command -v samtools >/dev/null || { apt-get update && apt-get install -y samtools; }
command -v python3 >/dev/null || { apt-get update && apt-get install -y python3; }
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/tests/SeqLens.Tests/Fixtures/Fasta"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# Valid inputs: each gets the .fai samtools writes.
python3 - <<'PY'
import random
rng = random.Random(7)
def seq(n, alphabet="ACGT"):
    return "".join(rng.choice(alphabet) for _ in range(n))
def wrap(s, w, eol="\n"):
    return "".join(s[i:i+w] + eol for i in range(0, len(s), w))
open("basic.fa", "w", newline="").write(
    ">chr1 first record with description\n" + wrap(seq(250), 60) +
    ">chr2\tTab separated description\n" + wrap(seq(120).lower() + "NNNNRYKMSWBDHV" + seq(37), 60) +
    ">chrM\n" + wrap(seq(61), 60))
open("crlf.fa", "w", newline="").write(">a desc\r\n" + wrap(seq(130), 50, "\r\n") + ">b\r\n" + wrap(seq(20), 50, "\r\n"))
open("exact80.fa", "w", newline="").write(">x\n" + wrap(seq(160), 80) + ">y\n" + wrap(seq(81), 80))
open("noeol.fa", "w", newline="").write(">x\n" + wrap(seq(100), 60).rstrip("\n"))
open("blanks.fa", "w", newline="").write("\n>x\n" + wrap(seq(70), 60) + "\n\n>y\n" + wrap(seq(10), 60) + "\n")
open("emptymid.fa", "w", newline="").write(">x\n" + wrap(seq(30), 60) + ">empty\n>z\n" + wrap(seq(12), 60))
open("dupnames.fa", "w", newline="").write(">x\nACGT\n>x\nGG\n>y\nTT\n")
# Inputs samtools rejects.
open("bad_longer.fa", "w", newline="").write(">a\nACGT\nACGTAA\n>b\nAAAA\n")
open("bad_short_mid.fa", "w", newline="").write(">a\nACGT\nAC\nAC\n")
open("bad_blank_mid.fa", "w", newline="").write(">a\nACGT\n\nACGT\n")
open("bad_blank_after_header.fa", "w", newline="").write(">a\n\nACGT\n")
open("bad_no_header.fa", "w", newline="").write("ACGT\n>a\nAC\n")
open("bad_last_empty.fa", "w", newline="").write(">a\nACGT\n>b\n")
# bgzip (BGZF) with small blocks so that fetches cross block boundaries; written by hand with zlib.
import zlib, struct
def bgzf_block(data):
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = c.compress(data) + c.flush()
    bsize = 18 + len(body) + 8 - 1
    header = struct.pack("<BBBBIBBHBBHH", 0x1f, 0x8b, 8, 4, 0, 0, 0xff, 6, ord("B"), ord("C"), 2, bsize)
    return header + body + struct.pack("<II", zlib.crc32(data) & 0xffffffff, len(data))
raw = open("basic.fa", "rb").read()
with open("basic.fa.bgz", "wb") as f:
    for i in range(0, len(raw), 97):
        f.write(bgzf_block(raw[i:i+97]))
    f.write(bgzf_block(b""))  # BGZF end-of-file marker block
PY
gzip -n -c basic.fa > basic.fa.plain.gz

for f in basic.fa crlf.fa exact80.fa noeol.fa blanks.fa emptymid.fa dupnames.fa basic.fa.bgz; do
  samtools faidx "$f" 2>/dev/null
done
: > samtools_rejects.txt
for f in bad_*.fa; do
  if samtools faidx "$f" 2>/dev/null; then echo "unexpected: samtools accepted $f" >&2; exit 1; fi
  echo "$f" >> samtools_rejects.txt
done
# Region fetches (samtools regions are 1-based closed; written here as 0-based half-open).
: > fetch_expected.tsv
for spec in "basic.fa chr1 0 1" "basic.fa chr1 59 61" "basic.fa chr1 0 250" "basic.fa chr2 100 171" "basic.fa chrM 60 61" \
            "crlf.fa a 45 105" "exact80.fa x 79 81" "basic.fa.bgz chr1 90 200" "basic.fa.bgz chr2 0 171" "basic.fa.bgz chrM 0 61"; do
  set -- $spec
  s="$(samtools faidx "$1" "$2:$(($3 + 1))-$4" | tail -n +2 | tr -d '\n\r')"
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$s" >> fetch_expected.tsv
done

# The shared genome chunk's index (the FASTA itself is never copied into the repository).
genome="$root/../shared/data/genome/augustus_cgp_hg38_chr16_186964-397118.fa"
if [ -f "$genome" ]; then
  cp "$genome" chunk.fa && samtools faidx chunk.fa && cp chunk.fa.fai "$out/augustus_cgp_hg38_chr16_186964-397118.fa.fai.samtools"
fi

rm -f chunk.fa chunk.fa.fai
for f in *.fai; do mv "$f" "${f%.fai}.fai.samtools"; done
cp ./*.fa ./*.fa.bgz ./*.plain.gz ./*.gzi ./*.fai.samtools samtools_rejects.txt fetch_expected.tsv "$out/"
samtools --version | head -2 > "$out/samtools_version.txt"
echo "wrote $(ls "$out" | wc -l) files to $out"
