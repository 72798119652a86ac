"""Run RapidOCR 3.10 on a page with the settings `PpOcr` uses, to compare boxes and text with it.

    pip install --no-deps --target /tmp/rapidocr_py rapidocr==3.10.0
    pip install --target /tmp/rapidocr_py pyclipper shapely opencv-python-headless omegaconf pyyaml six tqdm colorlog requests
    PYTHONPATH=/tmp/rapidocr_py python3 compare_rapidocr.py contract_page.png

Prints one line per text line (corners TL and BR, confidence, text) and the stage times, single-threaded.
"""
import sys
import time

from PIL import Image
from rapidocr import RapidOCR

engine = RapidOCR(
    params={
        # PpOcrConfig::default(): the longer side limited to 960, no per-line 180-degree classifier.
        "Det.limit_side_len": 960,
        "Det.limit_type": "max",
        "Global.use_cls": False,
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        "Global.log_level": "warning",
    }
)
# RapidOCR reads a palette PNG's indices as grey levels: hand it RGB pixels.
page = Image.open(sys.argv[1]).convert("RGB")
engine(page)  # warm-up
t = time.perf_counter()
result = engine(page)
elapsed = time.perf_counter() - t
for box, text, score in zip(result.boxes, result.txts, result.scores):
    (x0, y0), (x1, y1) = box[0], box[2]
    print(f"{score:.4f} [{int(x0):>4},{int(y0):>4} {int(x1):>4},{int(y1):>4}] {text}")
det, _, rec = result.elapse_list
print(f"{len(result.txts)} lines, detect {det:.3f}s, recognise {rec:.3f}s, total {elapsed:.3f}s")
