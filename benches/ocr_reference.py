#!/usr/bin/env python3
"""Peers for `sealgate doc eval-ocr --photos-only`: RapidOCR 3.10 and the Tesseract CLI on the same photos.

    python3 benches/ocr_reference.py --set DIR --limit N \
        --engine rapidocr-default|rapidocr-matched|tesseract-cli [--json]

For each of the first N photos of a set written by `sealgate doc gen` (DIR/manifest.json), one read
is timed with `time.perf_counter()`, after one untimed warm-up read of the first photo. Photo bytes
(RapidOCR) are read from disk before timing; the timed read includes decoding them, as `eval-ocr`'s
does. CER is computed as `eval-ocr` computes it (api/src/doc.rs `cer_counts`): both texts NFKC,
whitespace removed, punctuation folded (pipeline/src/text/normalize.rs), Levenshtein over chars;
the corpus CER is edits summed over photos / truth chars summed.

Engines:
  rapidocr-default  RapidOCR as a user runs it on a photo: default config (det limit 736 "min", so
                    a 1500x2000 photo is detected at full size; per-line 180-degree classifier on),
                    one ONNX Runtime thread.
  rapidocr-matched  the same with SealGate's PpOcr settings: det longer side limited to 960, no
                    per-line classifier.
  tesseract-cli     `tesseract PHOTO stdout -l chi_sim --psm 6`, OMP_THREAD_LIMIT=1, on the raw photo
                    (one process per photo: its start-up and model load are part of the time).

Neither RapidOCR nor Tesseract decides a page's orientation or finds the page in the photo:
expect the rotated photos to read badly. SealGate's `eval-ocr` does both, inside its timing.

RapidOCR must load the model files its wheel bundles (PP-OCRv6 det/rec small, ch mobile v2.0 cls),
the same files as SealGate's .models/ppocr: the script refuses to download anything (RapidOCR
would try if a bundled file were missing or corrupt), lists the files the sessions loaded with their
sha256 on stderr (and under "models" in the JSON), and fails if one differs from SealGate's copy
of the same name (--sealgate-models, default <repo>/.models/ppocr, checked when present).

Output (--json): {"engine", "photos", "seconds_per_photo" (mean), "cer_photo" (corpus),
"per_photo": [{"id", "seconds", "cer", "edits", "chars", "rotation", "sealed"}], ...};
without --json, a summary.
"""

import argparse
import hashlib
import io
import json
import os
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ENGINES = ("rapidocr-default", "rapidocr-matched", "tesseract-cli")
REPO = Path(__file__).resolve().parent.parent

# --- CER, as api/src/doc.rs `cer_counts` computes it -------------------------------------------

# pipeline/src/text/normalize.rs `fold_punctuation`.
FOLD = str.maketrans(
    {
        "、": ",",
        "。": ".",
        "“": '"',
        "”": '"',
        "「": '"',
        "」": '"',
        "『": '"',
        "』": '"',
        "‘": "'",
        "’": "'",
        "—": "-",
        "–": "-",
        "－": "-",
        "‐": "-",
        "【": "[",
        "〔": "[",
        "】": "]",
        "〕": "]",
        "《": "<",
        "〈": "<",
        "》": ">",
        "〉": ">",
        "·": ".",
        "•": ".",
        "￥": "¥",
    }
)

# Rust's `char::is_whitespace` (Unicode White_Space). Python's `str.isspace` differs slightly (it
# also counts U+001C..U+001F), so the set is spelled out.
WHITE_SPACE = frozenset(
    [chr(c) for c in range(0x09, 0x0E)]
    + [" ", "\u0085", "\u00a0", "\u1680"]
    + [chr(c) for c in range(0x2000, 0x200B)]
    + ["\u2028", "\u2029", "\u202f", "\u205f", "\u3000"]
)


def normalize(s):
    s = unicodedata.normalize("NFKC", s)
    return "".join(c for c in s if c not in WHITE_SPACE).translate(FOLD)


def levenshtein(a, b):
    if not a:
        return len(b)
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a):
        cur = [i + 1]
        for j, cb in enumerate(b):
            cur.append(min(prev[j] + (ca != cb), prev[j + 1] + 1, cur[j] + 1))
        prev = cur
    return prev[-1]


def cer_counts(truth, hypothesis):
    t, h = normalize(truth), normalize(hypothesis)
    return levenshtein(t, h), len(t)


# --- RapidOCR -----------------------------------------------------------------------------------


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def rapidocr_reader(engine_name):
    from PIL import Image
    from rapidocr import RapidOCR
    from rapidocr.utils.download_file import DownloadFile

    # Every download RapidOCR may start (a model or a character dict missing or failing its sha256)
    # goes through this method: turn it into an error instead of a silent fetch (or a hang on a
    # blocked network) so that only the bundled models can be used.
    def no_download(cls, url, logger):
        raise RuntimeError(
            f"RapidOCR tried to download {url}; its wheel's bundled models should have been used"
        )

    DownloadFile._make_http_request = classmethod(no_download)

    params = {
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        "Global.log_level": "warning",
    }
    if engine_name == "rapidocr-matched":
        # PpOcrConfig::default() in pipeline/src/ocr/ppocr.
        params.update({"Det.limit_side_len": 960, "Det.limit_type": "max", "Global.use_cls": False})
    engine = RapidOCR(params=params)

    def read(data):
        # RapidOCR reads a palette image's indices as grey levels: hand it RGB pixels.
        image = Image.open(io.BytesIO(data)).convert("RGB")
        result = engine(image)
        txts = getattr(result, "txts", None)
        return "\n".join(txts) if txts else ""

    def loaded_models():
        """The model files the sessions were built from (after the first read: they load lazily)."""
        out = []
        for stage in ("text_det", "text_cls", "text_rec"):
            holder = getattr(engine, stage, None)
            if holder is None:
                continue
            path = getattr(holder.session.session, "_model_path", None)
            if path:
                out.append({"stage": stage[5:], "path": path, "sha256": sha256_file(path)})
        return out

    return read, loaded_models, params


def check_models(models, sealgate_dir):
    """Compare each loaded file with SealGate's file of the same name; the list gets a verdict each."""
    ok = True
    for m in models:
        theirs = sealgate_dir / Path(m["path"]).name if sealgate_dir else None
        if theirs is not None and theirs.is_file():
            m["same_as_sealgate"] = sha256_file(theirs) == m["sha256"]
            ok &= m["same_as_sealgate"]
        else:
            m["same_as_sealgate"] = None
        verdict = {True: "same as SealGate's", False: "DIFFERS from SealGate's", None: "no SealGate copy"}
        print(
            f"ocr_reference: {m['stage']}: {m['path']} sha256 {m['sha256'][:16]}… "
            f"({verdict[m['same_as_sealgate']]})",
            file=sys.stderr,
        )
    return ok


# --- Tesseract ----------------------------------------------------------------------------------


def tesseract_reader():
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def read(path):
        out = subprocess.run(
            ["tesseract", str(path), "stdout", "-l", "chi_sim", "--psm", "6"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            check=True,
        )
        return out.stdout.decode("utf-8", errors="replace")

    return read


# --- main ---------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", required=True, type=Path, help="a set written by `sealgate doc gen`")
    ap.add_argument("--limit", type=int, default=None, help="first N photos (default: all)")
    ap.add_argument("--engine", required=True, choices=ENGINES)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument(
        "--sealgate-models",
        type=Path,
        default=REPO / ".models" / "ppocr",
        help="SealGate's PP-OCR models, compared by sha256 with those RapidOCR loads",
    )
    args = ap.parse_args()

    with open(args.set / "manifest.json", encoding="utf-8") as f:
        entries = json.load(f)["photos"]
    if args.limit is not None:
        entries = entries[: args.limit]
    if not entries:
        sys.exit("ocr_reference: no photos in the set")
    paths = [args.set / e["photo"] for e in entries]

    extra = {}
    if args.engine == "tesseract-cli":
        read = tesseract_reader()
        inputs = paths
        extra["command"] = "tesseract PHOTO stdout -l chi_sim --psm 6 (OMP_THREAD_LIMIT=1)"
    else:
        read, loaded_models, params = rapidocr_reader(args.engine)
        inputs = [p.read_bytes() for p in paths]
        extra["params"] = params

    read(inputs[0])  # warm-up (RapidOCR loads its sessions here), not counted

    if args.engine != "tesseract-cli":
        from importlib.metadata import version

        models = loaded_models()
        extra["rapidocr"] = version("rapidocr")
        extra["onnxruntime"] = version("onnxruntime")
        extra["models"] = models
        if not check_models(models, args.sealgate_models if args.sealgate_models.is_dir() else None):
            sys.exit("ocr_reference: RapidOCR loaded model files that differ from SealGate's")

    per_photo = []
    edits = chars = 0
    for e, x in zip(entries, inputs):
        t = time.perf_counter()
        text = read(x)
        seconds = time.perf_counter() - t
        d, n = cer_counts(e["text"], text)
        edits += d
        chars += n
        per_photo.append(
            {
                "id": e["id"],
                "seconds": seconds,
                "cer": d / max(n, 1),
                "edits": d,
                "chars": n,
                "rotation": e.get("rotation"),
                "sealed": e.get("sealed"),
            }
        )
        print(f"\r{args.engine}: {len(per_photo)}/{len(entries)} photos", end="", file=sys.stderr)
    print(file=sys.stderr)

    out = {
        "engine": args.engine,
        "photos": len(per_photo),
        "seconds_per_photo": sum(p["seconds"] for p in per_photo) / len(per_photo),
        "cer_photo": edits / chars if chars else 0.0,
        "per_photo": per_photo,
        **extra,
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return
    print(f"{out['engine']}: {out['photos']} photos, {out['seconds_per_photo']:.3f} s/photo, CER {out['cer_photo']:.2%}")
    for p in per_photo:
        print(f"  {p['id']}  {p['seconds']:7.3f} s  CER {p['cer']:7.2%}  rotation {p['rotation']:>3}  sealed {p['sealed']}")


if __name__ == "__main__":
    main()
