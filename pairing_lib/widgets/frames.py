"""Compact precomputed frames for the static website.

The frames of one explorer differ in a few curves, markers and labels and
share everything else. They are stored as

* a shared palette of at most 255 colours (plus one transparent index), so
  that equal pixels are equal numbers in every frame;
* one or a few **base** images: the pixel-wise most common frame, either of
  all frames or of the frames that share the value of one slider (the
  grouping that changes the fewest pixels is chosen);
* one **overlay** per frame: the pixels where the frame differs from its
  base, everything else transparent.

The browser stacks the overlay on its base (an ipywidgets ``GridBox`` with
both in one cell), which gives back the frame exactly. Overlays and bases are
lossless WebP (about a third of a palette PNG), identical ones are stored
once. This module only does the image arithmetic; the widgets are built by
:meth:`pairing_lib.widgets.Explorer.static_widget`.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

__all__ = ["FrameSet", "encode_frames", "encode_png", "TRANSPARENT"]

#: Palette index of transparent pixels in the overlays.
TRANSPARENT = 255

#: Estimated cost of one more base image, as a fraction of its pixels (a base
#: costs about as much as that many changed overlay pixels).
_BASE_COST = 0.04

#: Lossless WebP effort (0-6): 2 is within 1 % of 6 in size at a fiftieth of the time.
_WEBP_METHOD = 2


def encode_png(rgba: np.ndarray, compress_level: int = 1) -> bytes:
    """A frame (``(H, W, 4)`` uint8, opaque) as PNG bytes, fast (for the live widget)."""
    img = Image.fromarray(np.ascontiguousarray(rgba[..., :3]), "RGB")
    out = io.BytesIO()
    img.save(out, format="PNG", compress_level=compress_level)
    return out.getvalue()


def _pack(rgb: np.ndarray) -> np.ndarray:
    rgb = rgb.astype(np.uint32)
    return (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]


def _palette(frames: list[np.ndarray], colors: int = 255) -> np.ndarray:
    """A palette (``(n, 3)`` uint8, n <= colors) for all frames: median cut over a mosaic
    of up to eight frames (every other row)."""
    step = max(1, len(frames) // 8)
    mosaic = np.concatenate([f[::2, :, :3] for f in frames[::step]], axis=0)
    pal_img = Image.fromarray(np.ascontiguousarray(mosaic), "RGB").quantize(
        colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    pal = np.array(pal_img.getpalette()[: 3 * colors], dtype=np.uint8).reshape(-1, 3)
    used = np.unique(np.asarray(pal_img))
    return pal[used]


class _Quantizer:
    """Nearest palette index of every pixel (exact for colours in the palette).

    Colours are looked up in a table over all 2^24 RGB values, filled as new
    colours appear: the frames of one explorer share almost all their colours.
    """

    def __init__(self, palette: np.ndarray):
        self.palette = palette.astype(np.int32)
        self.table = np.zeros(1 << 24, dtype=np.uint8)
        self.known = np.zeros(1 << 24, dtype=bool)

    def __call__(self, frame: np.ndarray) -> np.ndarray:
        packed = _pack(frame[..., :3])
        new = np.unique(packed[~self.known[packed]])
        if new.size:
            rgb = np.stack([(new >> 16) & 255, (new >> 8) & 255, new & 255], axis=1)
            for start in range(0, len(new), 4096):
                block = rgb[start:start + 4096].astype(np.int32)
                dist = ((block[:, None, :] - self.palette[None, :, :]) ** 2).sum(axis=2)
                self.table[new[start:start + 4096]] = np.argmin(dist, axis=1)
            self.known[new] = True
        return self.table[packed]


def _mode(stack: np.ndarray) -> np.ndarray:
    """Pixel-wise most common value of a ``(n, H, W)`` uint8 stack."""
    n, h, w = stack.shape
    flat = stack.reshape(n, -1)
    out = flat[0].copy()
    if n == 1:
        return out.reshape(h, w)
    varying = np.flatnonzero((flat != flat[0]).any(axis=0))   # most pixels never change
    chunk = 16384
    for start in range(0, varying.size, chunk):
        cols = varying[start:start + chunk]
        block = flat[:, cols].astype(np.int64)
        codes = (np.arange(cols.size, dtype=np.int64)[None, :] * 256 + block).ravel()
        counts = np.bincount(codes, minlength=cols.size * 256).reshape(cols.size, 256)
        out[cols] = np.argmax(counts, axis=1)
    return out.reshape(h, w)


def _webp(indices: np.ndarray, palette: np.ndarray, transparent: bool) -> bytes:
    """Lossless WebP of a palette-index image (index TRANSPARENT see-through if ``transparent``)."""
    rgba = np.zeros(indices.shape + (4,), dtype=np.uint8)
    pal = np.zeros((256, 3), dtype=np.uint8)
    pal[: len(palette)] = palette
    rgba[..., :3] = pal[indices]
    rgba[..., 3] = 255
    if transparent:
        rgba[indices == TRANSPARENT] = 0
        img = Image.fromarray(rgba, "RGBA")
    else:
        img = Image.fromarray(np.ascontiguousarray(rgba[..., :3]), "RGB")
    out = io.BytesIO()
    img.save(out, format="WEBP", lossless=True, quality=100, method=_WEBP_METHOD,
             exact=False)
    return out.getvalue()


@dataclass
class FrameSet:
    """Frames as shared images: ``bases`` and one overlay per frame.

    Attributes
    ----------
    images : list of bytes
        Distinct encoded images (lossless WebP); bases and overlays index into it.
    group : int or None
        Slider whose value selects the base (``None``: one base for all frames).
    base_of_value : list of int
        Image index of the base for each stop of slider ``group`` (one entry if
        ``group`` is None).
    overlay : list of int
        Image index of each frame's overlay, frames in ``itertools.product``
        order of the sliders.
    size : tuple of int
        (width, height) of the frames in pixels.
    descriptions : list of str
        The text alternative of each frame, frames in the order of ``overlay``
        (filled by :meth:`pairing_lib.widgets.Explorer.static_frames`).
    """

    images: list
    group: int | None
    base_of_value: list
    overlay: list
    size: tuple
    descriptions: list = field(default_factory=list)

    @property
    def nbytes(self) -> int:
        """Total size of the distinct images."""
        return sum(len(b) for b in self.images)

    def decode(self, frame: int, value_index: int) -> np.ndarray:
        """The composite of frame ``frame`` (base of stop ``value_index``) as RGB (for tests)."""
        base = np.asarray(Image.open(io.BytesIO(self.images[self.base_of_value[value_index]]))
                          .convert("RGBA"))
        top = np.asarray(Image.open(io.BytesIO(self.images[self.overlay[frame]]))
                         .convert("RGBA"))
        alpha = top[..., 3:4] > 0
        return np.where(alpha, top[..., :3], base[..., :3])


def encode_frames(frames: list[np.ndarray], keys: list[tuple], n_stops: list[int]) -> FrameSet:
    """Encode the frames of an explorer as bases plus overlays.

    Parameters
    ----------
    frames : list of ndarray
        ``(H, W, 3 or 4)`` uint8 frames, in ``itertools.product`` order of the sliders.
    keys : list of tuple of int
        The stop index of every slider for each frame.
    n_stops : list of int
        Number of stops of each slider.

    Returns
    -------
    FrameSet

    Raises
    ------
    ValueError
        If ``frames`` is empty, the frames differ in size, or ``keys`` does not
        match ``frames``.
    """
    if not frames:
        raise ValueError("frames must not be empty")
    if len(keys) != len(frames):
        raise ValueError(f"keys must have one entry per frame ({len(frames)}), got {len(keys)}")
    shape = frames[0].shape[:2]
    if any(f.shape[:2] != shape for f in frames):
        raise ValueError("all frames must have the same size")
    palette = _palette(frames)
    quantize = _Quantizer(palette)
    idx = np.stack([quantize(f) for f in frames])
    h, w = shape

    best = None
    for group in [None, *range(len(n_stops))]:
        if group is not None and n_stops[group] < 2:
            continue
        values = [0] * len(frames) if group is None else [k[group] for k in keys]
        bases = {}
        for v in sorted(set(values)):
            members = [i for i, x in enumerate(values) if x == v]
            bases[v] = _mode(idx[members])
        changed = sum(int(np.count_nonzero(idx[i] != bases[values[i]]))
                      for i in range(len(frames)))
        cost = changed + _BASE_COST * h * w * len(bases)
        if best is None or cost < best[0]:
            best = (cost, group, values, bases)
    _, group, values, bases = best

    images, index = [], {}

    def add(data: bytes) -> int:
        digest = hashlib.sha1(data).hexdigest()
        if digest not in index:
            index[digest] = len(images)
            images.append(data)
        return index[digest]

    n_values = 1 if group is None else n_stops[group]
    base_of_value = [add(_webp(bases[v], palette, False)) for v in range(n_values)]
    overlay = []
    for i in range(len(frames)):
        top = idx[i].copy()
        top[idx[i] == bases[values[i]]] = TRANSPARENT
        overlay.append(add(_webp(top, palette, True)))
    return FrameSet(images=images, group=group, base_of_value=base_of_value,
                    overlay=overlay, size=(w, h))
