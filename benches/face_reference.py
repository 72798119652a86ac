#!/usr/bin/env python3
"""Reference face pipeline in vectorised numpy + onnxruntime (one intra-op thread).

Runs the same stages as `sealgate face bench` (decode, detect, align, embed, liveness) on the same
ONNX models and times each one, so the Rust pipeline can be compared with a fair Python baseline.

    python3 benches/face_reference.py --models .models/face --iters 30 IMG...

Prints one JSON object:
    {"threads": 1, "frames": n, "iters": N,
     "stages": {"decode"|"detect"|"align"|"embed"|"liveness"|"frame": {"median_ms", "p99_ms"}},
     "p_real": [per image], "faces": [per image]}
"""

import argparse
import json
import math
import os
import sys
import time
from io import BytesIO

import numpy as np
import onnxruntime as ort
from PIL import Image, ImageOps

DETECT_SIDE = 320
SCORE_THRESHOLD = 0.8
NMS_IOU = 0.3
STRIDES = (8, 16, 32)
ALIGNED = 112
TEMPLATE = np.array(
    [[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [41.5493, 92.3655], [70.7299, 92.2041]],
    dtype=np.float64,
)
LIVE_SIDE = 80
LIVENESS_MODELS = (("2.7_80x80_MiniFASNetV2.onnx", 2.7), ("4_0_0_80x80_MiniFASNetV1SE.onnx", 4.0))
STAGES = ("decode", "detect", "align", "embed", "liveness", "frame")


def session(path):
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, sess_options=opts, providers=["CPUExecutionProvider"])


def decode(data):
    img = Image.open(BytesIO(data))
    img = ImageOps.exif_transpose(img)
    return np.asarray(img.convert("RGB"))


# Rust resizes with OpenCV's INTER_LINEAR convention (pixel centres aligned, no antialiasing), as
# Silent-Face and YuNet were trained with. PIL's `resize(BILINEAR)` widens its filter when shrinking
# (antialiasing), which moves the detector's box and MiniFASNet's scores (F1 sample: p_real 0.16
# instead of 0.24). PIL's affine transform with BILINEAR samples exactly at
# `src = scale * (dst + 0.5) - 0.5`, edge-clamped, i.e. INTER_LINEAR, at C speed; it is the default.
# `--resize antialias` switches to `Image.resize(BILINEAR)`.
RESIZE_MODE = "linear"


def resize(rgb, w, h):
    """HxWx3 uint8 -> hxwx3 uint8, bilinear."""
    img = Image.fromarray(rgb)
    if RESIZE_MODE == "antialias":
        return np.asarray(img.resize((w, h), Image.BILINEAR))
    sh, sw = rgb.shape[:2]
    return np.asarray(img.transform((w, h), Image.AFFINE, (sw / w, 0, 0, 0, sh / h, 0), Image.BILINEAR))


def bgr_planar(rgb):
    """HxWx3 uint8 RGB -> [1,3,H,W] float32 BGR, values 0..255."""
    return np.ascontiguousarray(rgb[:, :, ::-1].transpose(2, 0, 1), dtype=np.float32)[None]


def nms(boxes, scores, iou):
    """Greedy NMS over [N,4] (x, y, w, h) boxes; returns kept indices, best first."""
    order = np.argsort(-scores, kind="stable")
    x0, y0 = boxes[:, 0], boxes[:, 1]
    x1, y1 = x0 + boxes[:, 2], y0 + boxes[:, 3]
    area = np.maximum(boxes[:, 2], 0) * np.maximum(boxes[:, 3], 0)
    keep = []
    while order.size:
        i = order[0]
        keep.append(i)
        rest = order[1:]
        iw = np.maximum(np.minimum(x1[i], x1[rest]) - np.maximum(x0[i], x0[rest]), 0)
        ih = np.maximum(np.minimum(y1[i], y1[rest]) - np.maximum(y0[i], y0[rest]), 0)
        inter = iw * ih
        union = area[i] + area[rest] - inter
        ious = np.where(union > 0, inter / np.where(union > 0, union, 1), 0)
        order = rest[ious <= iou]
    return np.array(keep, dtype=np.int64)


def detect(yunet, rgb):
    """All faces: (boxes [N,4] x,y,w,h, scores [N], landmarks [N,5,2]) in source pixels, best first."""
    h, w = rgb.shape[:2]
    scale = DETECT_SIDE / max(w, h)
    rw = min(max(round(w * scale), 1), DETECT_SIDE)
    rh = min(max(round(h * scale), 1), DETECT_SIDE)
    iw, ih = -(-rw // 32) * 32, -(-rh // 32) * 32
    resized = resize(rgb, rw, rh)
    inp = np.zeros((1, 3, ih, iw), dtype=np.float32)
    inp[0, :, :rh, :rw] = resized[:, :, ::-1].transpose(2, 0, 1)
    names = [f"{k}_{s}" for s in STRIDES for k in ("cls", "obj", "bbox", "kps")]
    out = dict(zip(names, yunet.run(names, {"input": inp})))
    sx, sy = w / rw, h / rh

    boxes, scores, lms = [], [], []
    for s in STRIDES:
        cols = iw // s
        n = cols * (ih // s)
        cls = out[f"cls_{s}"].reshape(n)
        obj = out[f"obj_{s}"].reshape(n)
        score = np.sqrt(np.clip(cls, 0, 1) * np.clip(obj, 0, 1))
        idx = np.nonzero(score >= SCORE_THRESHOLD)[0]
        if idx.size == 0:
            continue
        b = out[f"bbox_{s}"].reshape(n, 4)[idx]
        k = out[f"kps_{s}"].reshape(n, 5, 2)[idx]
        c = (idx % cols).astype(np.float32)
        r = (idx // cols).astype(np.float32)
        cx, cy = (c + b[:, 0]) * s, (r + b[:, 1]) * s
        bw, bh = np.exp(b[:, 2]) * s, np.exp(b[:, 3]) * s
        box = np.stack([(cx - bw / 2) * sx, (cy - bh / 2) * sy, bw * sx, bh * sy], axis=1)
        lm = np.stack([(k[:, :, 0] + c[:, None]) * s * sx, (k[:, :, 1] + r[:, None]) * s * sy], axis=2)
        ok = np.isfinite(box).all(axis=1) & (box[:, 2] > 0) & (box[:, 3] > 0)
        boxes.append(box[ok])
        scores.append(score[idx][ok])
        lms.append(lm[ok])
    if not boxes:
        return np.zeros((0, 4), np.float32), np.zeros(0, np.float32), np.zeros((0, 5, 2), np.float32)
    boxes, scores, lms = np.concatenate(boxes), np.concatenate(scores), np.concatenate(lms)
    keep = nms(boxes, scores, NMS_IOU)
    return boxes[keep], scores[keep], lms[keep]


def similarity(src, dst):
    """Least-squares similarity (Umeyama, no reflection) src -> dst as a 2x3 matrix, or None."""
    ms, md = src.mean(axis=0), dst.mean(axis=0)
    s, d = src - ms, dst - md
    den = float((s * s).sum())
    if not math.isfinite(den) or den < 1e-6:
        return None
    a = float((s[:, 0] * d[:, 0] + s[:, 1] * d[:, 1]).sum()) / den
    b = float((s[:, 0] * d[:, 1] - s[:, 1] * d[:, 0]).sum()) / den
    tx = md[0] - (a * ms[0] - b * ms[1])
    ty = md[1] - (b * ms[0] + a * ms[1])
    return np.array([[a, -b, tx], [b, a, ty]], dtype=np.float64)


def invert(m):
    a, b, tx = m[0]
    c, d, ty = m[1]
    det = a * d - b * c
    if abs(det) < 1e-12:
        return None
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return np.array([[ia, ib, -(ia * tx + ib * ty)], [ic, id_, -(ic * tx + id_ * ty)]], dtype=np.float64)


_GRID = np.stack(
    np.meshgrid(np.arange(ALIGNED, dtype=np.float32), np.arange(ALIGNED, dtype=np.float32)), axis=-1
).reshape(-1, 2)


def warp_bilinear(rgb, inv):
    """112x112 output: out[y,x] = bilinear(rgb, inv @ (x, y, 1)), zero outside the source."""
    h, w = rgb.shape[:2]
    inv = inv.astype(np.float32)
    gx, gy = _GRID[:, 0], _GRID[:, 1]
    fx = gx * inv[0, 0] + gy * inv[0, 1] + inv[0, 2]
    fy = gx * inv[1, 0] + gy * inv[1, 1] + inv[1, 2]
    x0f, y0f = np.floor(fx), np.floor(fy)
    wx, wy = fx - x0f, fy - y0f
    x0, y0 = x0f.astype(np.intp), y0f.astype(np.intp)
    flat = rgb.reshape(-1, 3)
    acc = np.zeros((_GRID.shape[0], 3), np.float32)
    for dx, dy, weight in ((0, 0, (1 - wx) * (1 - wy)), (1, 0, wx * (1 - wy)), (0, 1, (1 - wx) * wy), (1, 1, wx * wy)):
        x, y = x0 + dx, y0 + dy
        inside = (x >= 0) & (x < w) & (y >= 0) & (y < h)
        # Gather the neighbour from the uint8 image (only 112x112 pixels are converted); zero outside.
        idx = np.clip(y, 0, h - 1) * w + np.clip(x, 0, w - 1)
        acc += flat.take(idx, axis=0) * (weight * inside)[:, None]
    return np.clip(acc + 0.5, 0, 255).astype(np.uint8).reshape(ALIGNED, ALIGNED, 3)


def align(rgb, landmarks):
    m = similarity(landmarks.astype(np.float64), TEMPLATE)
    inv = invert(m) if m is not None else None
    if inv is None:
        return None
    return warp_bilinear(rgb, inv)


def embed(sface, aligned):
    inp = np.ascontiguousarray(aligned.transpose(2, 0, 1), dtype=np.float32)[None]
    v = sface.run(["fc1"], {"data": inp})[0].reshape(-1)
    return v / max(float(np.linalg.norm(v)), 1e-12)


def crop_box(src_w, src_h, box, scale):
    """Silent-Face `_get_new_box`: inclusive [x0, y0, x1, y1] of the box scaled about its centre."""
    x, y, bw, bh = (float(v) for v in box)
    bw, bh = max(bw, 1.0), max(bh, 1.0)
    scale = max(min(scale, (src_h - 1) / bh, (src_w - 1) / bw), 0.0)
    nw, nh = bw * scale, bh * scale
    cx, cy = x + bw / 2, y + bh / 2
    x0, y0, x1, y1 = cx - nw / 2, cy - nh / 2, cx + nw / 2, cy + nh / 2
    if x0 < 0:
        x1 -= x0
        x0 = 0.0
    if y0 < 0:
        y1 -= y0
        y0 = 0.0
    if x1 > src_w - 1:
        x0 -= x1 - src_w + 1
        x1 = src_w - 1.0
    if y1 > src_h - 1:
        y0 -= y1 - src_h + 1
        y1 = src_h - 1.0
    return int(max(x0, 0)), int(max(y0, 0)), int(math.floor(x1)), int(math.floor(y1))


def liveness(models, rgb, box):
    h, w = rgb.shape[:2]
    p = []
    for sess, scale in models:
        x0, y0, x1, y1 = crop_box(w, h, box, scale)
        patch = rgb[y0 : y1 + 1, x0 : x1 + 1]
        patch = resize(np.ascontiguousarray(patch), LIVE_SIDE, LIVE_SIDE)
        logits = sess.run(["output"], {"input": bgr_planar(patch)})[0].reshape(-1).astype(np.float64)
        e = np.exp(logits - logits.max())
        p.append(float(e[1] / e.sum()))
    return (p[0] + p[1]) / 2


def analyze(m, data, t):
    """One frame; adds each stage's seconds to `t`; returns (faces, p_real or None)."""
    t0 = time.perf_counter()
    rgb = decode(data)
    t1 = time.perf_counter()
    boxes, _, lms = detect(m["yunet"], rgb)
    t2 = time.perf_counter()
    t["decode"].append(t1 - t0)
    t["detect"].append(t2 - t1)
    if len(boxes) == 0:
        return 0, None
    i = int(np.argmax(np.maximum(boxes[:, 2], 0) * np.maximum(boxes[:, 3], 0)))
    aligned = align(rgb, lms[i])
    t3 = time.perf_counter()
    t["align"].append(t3 - t2)
    if aligned is None:
        return len(boxes), None
    embed(m["sface"], aligned)
    t4 = time.perf_counter()
    p_real = liveness(m["liveness"], rgb, boxes[i])
    t5 = time.perf_counter()
    t["embed"].append(t4 - t3)
    t["liveness"].append(t5 - t4)
    return len(boxes), p_real


def median_p99_ms(samples):
    """Nearest-rank median and p99, as `sealgate face bench` computes them."""
    if not samples:
        return {"median_ms": 0.0, "p99_ms": 0.0}
    v = sorted(s * 1e3 for s in samples)

    def pct(q):
        return v[min(max(math.ceil(q * len(v)), 1), len(v)) - 1]

    return {"median_ms": round(pct(0.5), 3), "p99_ms": round(pct(0.99), 3)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", required=True, help="folder holding the four face ONNX models")
    ap.add_argument("--iters", type=int, default=30)
    ap.add_argument(
        "--resize",
        choices=("linear", "antialias"),
        default="linear",
        help="bilinear resize: 'linear' = PIL affine transform, OpenCV INTER_LINEAR semantics as the Rust "
        "pipeline (default); 'antialias' = PIL Image.resize(BILINEAR)",
    )
    ap.add_argument("images", nargs="+")
    args = ap.parse_args()
    global RESIZE_MODE
    RESIZE_MODE = args.resize

    path = lambda name: os.path.join(args.models, name)  # noqa: E731
    models = {
        "yunet": session(path("yunet_s_dynamic.onnx")),
        "sface": session(path("sface_2021dec.fp32.onnx")),
        "liveness": [(session(path(name)), scale) for name, scale in LIVENESS_MODELS],
    }
    frames = []
    for img in args.images:
        with open(img, "rb") as f:
            frames.append(f.read())

    faces, p_real = [], []
    warm = {s: [] for s in STAGES}
    for data in frames:  # warm-up
        n, p = analyze(models, data, warm)
        faces.append(n)
        p_real.append(None if p is None else round(p, 6))

    times = {s: [] for s in STAGES}
    for _ in range(max(args.iters, 1)):
        for data in frames:
            t0 = time.perf_counter()
            analyze(models, data, times)
            times["frame"].append(time.perf_counter() - t0)

    json.dump(
        {
            "threads": 1,
            "frames": len(frames),
            "iters": args.iters,
            "stages": {s: median_p99_ms(times[s]) for s in STAGES},
            "p_real": p_real,
            "faces": faces,
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
