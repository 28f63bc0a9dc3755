"""The dual-mode explorer mechanism (pairing_lib.widgets) and the book style."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from pairing_lib import plotting
from pairing_lib.widgets import MAX_FRAMES, Explorer, Param, all_explorers, widget_mode


def toy_explorer(mode):
    calls = []

    def compute(a, b):
        calls.append((a, b))
        if a < 0:
            raise ValueError("a must be >= 0, got %r" % a)
        x = np.linspace(0, 1, 20)
        return x, a * x + b

    def draw(fig, data, a, b):
        ax = fig.add_subplot()
        ax.plot(*data)
        ax.set_xlabel("x")

    exp = Explorer(compute, draw, [Param("a", "a", values=[-1.0, 0.5, 1.0, 2.0], default=1.0),
                                   Param("b", "b", values=[0.0, 1.0])], mode=mode)
    return exp, calls


def find(widget, cls):
    out = []
    if isinstance(widget, cls):
        out.append(widget)
    for child in getattr(widget, "children", ()):
        out.extend(find(child, cls))
    return out


def test_param_validation():
    with pytest.raises(ValueError, match="identifier"):
        Param("not a name", "x", values=[1])
    with pytest.raises(ValueError, match="empty"):
        Param("x", "x", values=[])
    with pytest.raises(ValueError, match="distinct"):
        Param("x", "x", values=[1.0001, 1.0002], fmt=".2f")
    assert Param("x", "x", values=[0, 1, 2, 3]).default_index == 1
    assert Param("x", "x", values=np.linspace(0, 1, 11), default=0.31).default_index == 3


def test_mode_from_environment(monkeypatch):
    monkeypatch.delenv("PAIRING_LIB_WIDGETS", raising=False)
    assert widget_mode() == "live"
    monkeypatch.setenv("PAIRING_LIB_WIDGETS", "static")
    assert widget_mode() == "static"
    monkeypatch.setenv("PAIRING_LIB_WIDGETS", "sometimes")
    with pytest.raises(ValueError, match="PAIRING_LIB_WIDGETS"):
        widget_mode()


def test_static_mode_refuses_too_many_frames():
    p = Param("x", "x", values=range(20))
    q = Param("y", "y", values=range(7))
    with pytest.raises(ValueError, match="frames"):
        Explorer(lambda x, y: None, lambda fig, d, x, y: None, [p, q], mode="static")
    # the same explorer is fine live: nothing is precomputed
    assert Explorer(lambda x, y: None, lambda f, d, x, y: None, [p, q], mode="live").frame_count == 140


def test_live_slider_recomputes_and_redraws():
    import ipywidgets as w

    exp, calls = toy_explorer("live")
    box = exp.widget()
    image = find(box, w.Image)[0]
    slider_a, slider_b = find(box, w.SelectionSlider)
    first = image.value
    assert calls == [(1.0, 0.0)]
    slider_a.value = 2.0
    assert calls[-1] == (2.0, 0.0)
    assert image.value != first
    second = image.value
    slider_b.value = 1.0
    assert calls[-1] == (2.0, 1.0) and image.value != second


def test_live_errors_are_shown_not_swallowed():
    import ipywidgets as w

    exp, _ = toy_explorer("live")
    box = exp.widget()
    slider_a = find(box, w.SelectionSlider)[0]
    slider_a.value = -1.0
    messages = [h.value for h in find(box, w.HTML)]
    assert any("a must be &gt;= 0" in m or "a must be >= 0" in m for m in messages)


def test_static_widget_precomputes_every_frame_and_links_sliders():
    import ipywidgets as w

    exp, calls = toy_explorer("static")
    exp = Explorer(exp.compute, exp.draw,
                   [Param("a", "a", values=[0.5, 1.0, 2.0]), Param("b", "b", values=[0.0, 1.0])],
                   mode="static")
    box = exp.widget()
    images = find(box, w.Image)
    stacks = find(box, w.Stack)
    sliders = find(box, w.SelectionSlider)
    assert len(images) == exp.frame_count == 6
    assert len({img.value for img in images}) == 6, "every frame must differ"
    assert len(stacks) == 1 + 3  # outer stack over a, one inner stack per a-value
    links = box._pairing_links
    assert len(links) == 4
    # every link ties a slider's index to a stack's selected_index
    for link in links:
        (src, src_attr), (dst, dst_attr) = link.source, link.target
        assert src in sliders and src_attr == "index"
        assert dst in stacks and dst_attr == "selected_index"
    # the initial frame shown is the default of each slider
    outer = stacks[0]
    assert outer.selected_index == sliders[0].index
    assert set(calls) == {(a, b) for a in (0.5, 1.0, 2.0) for b in (0.0, 1.0)}


def test_frames_have_an_opaque_white_background():
    exp, _ = toy_explorer("live")
    for palette in (False, True):
        img = Image.open(io.BytesIO(exp.render(palette=palette))).convert("RGBA")
        assert img.getpixel((1, 1)) == (255, 255, 255, 255)
        assert img.getpixel((img.width - 2, img.height - 2)) == (255, 255, 255, 255)


def test_book_style_is_opaque():
    for key in ("figure.facecolor", "axes.facecolor", "savefig.facecolor"):
        assert plotting.RC[key] == "white"
    assert plotting.RC["savefig.transparent"] is False


def test_every_book_explorer_fits_the_static_budget_and_draws():
    explorers = all_explorers()
    assert "scales.level_spacing" in explorers
    for key, factory in explorers.items():
        exp = factory()
        assert exp.frame_count <= MAX_FRAMES, f"{key}: {exp.frame_count} frames"
        fig = exp.figure()  # default state computes and draws without error
        assert fig.axes, f"{key} drew no axes"
        for ax in fig.axes:
            if ax.get_visible() and ax.axison and ax.has_data():
                labelled = ax.get_xlabel() or ax.get_ylabel() or ax.get_title()
                assert labelled, f"{key}: a panel without axis labels or title"
