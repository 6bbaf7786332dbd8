"""The study's four answers as PNG pictures, for people who do not run Tableau.

matplotlib with the Agg backend (no display needed, works in cron and CI).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from reports.views import correlation_matrix

DPI = 120
TIMES, DASH = "\N{MULTIPLICATION SIGN}", "\N{EN DASH}"
CMAP = "RdBu"  # red = negative, blue = positive; shared by both heatmaps


def write_plots(views: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        _minor_share(views, out_dir / "q1-minor-share-vs-rank.png"),
        _heatmaps(views, out_dir / "q2-q3-correlation-heatmaps.png"),
        _comparison(views, out_dir / "q4-songs-vs-beats-correlations.png"),
    ]


def _save(fig: plt.Figure, path: Path) -> Path:
    fig.savefig(path, dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return path


def _floats(series: pd.Series) -> np.ndarray:
    return series.astype("float64").to_numpy()


def _minor_share(views: dict[str, pd.DataFrame], path: Path) -> Path:
    """Question 1: scatter of minor-key share by rank, the SQL regression line and its R²."""
    frame = views["minor_share_by_artist"]
    known = frame[frame["minor_share"].notna()]
    fig, ax = plt.subplots(figsize=(10, 6))
    ranks, shares = _floats(known["rank"]), _floats(known["minor_share"])
    counts = _floats(known["tracks_with_mode"])
    sizes = 20 + 180 * counts / max(1.0, counts.max(initial=1.0))
    ax.scatter(ranks, shares, s=sizes, alpha=0.7, color="#2166AC", label="artist (size = tracks)")
    for rank, share, name in zip(ranks, shares, known["artist"], strict=True):
        ax.annotate(str(name), (rank, share), xytext=(4, 3), textcoords="offset points", fontsize=8)
    regression = views["minor_share_regression"].iloc[0]
    if pd.notna(regression["slope"]) and len(known):
        xs = np.linspace(ranks.min(), ranks.max(), 50)
        ax.plot(
            xs,
            regression["intercept"] + regression["slope"] * xs,
            color="#D7301F",
            label=(
                f"least squares: share = {regression['intercept']:.3f} "
                f"{regression['slope']:+.4f} {TIMES} rank, R² = {regression['r_squared']:.3f}, "
                f"n = {int(regression['n'])}"
            ),
        )
    ax.set(
        title="Q1: Do higher-ranked artists release more songs in minor keys?",
        xlabel="artist rank (1 = first in the list)",
        ylabel="share of canonical tracks in minor",
        ylim=(0, 1),
    )
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right", fontsize=9)
    return _save(fig, path)


def _draw_matrix(ax: plt.Axes, matrix: pd.DataFrame, title: str, vmax: float) -> object:
    image = ax.imshow(matrix.to_numpy(), cmap=CMAP, vmin=-vmax, vmax=vmax)
    labels = list(matrix.columns)
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=9)
    ax.set_yticks(range(len(labels)), labels, fontsize=9)
    for i in range(len(labels)):
        for j in range(len(labels)):
            value = matrix.iat[i, j]
            text = DASH if np.isnan(value) else f"{value:.2f}"
            color = "white" if not np.isnan(value) and abs(value) > 0.6 * vmax else "black"
            ax.text(j, i, text, ha="center", va="center", fontsize=6.5, color=color)
    ax.set_title(title)
    return image


def _heatmaps(views: dict[str, pd.DataFrame], path: Path) -> Path:
    """Questions 2 and 3 side by side on one colour scale (-1..1), so cells compare."""
    fig, axes = plt.subplots(1, 2, figsize=(17, 8), constrained_layout=True)
    songs = correlation_matrix(views["song_correlations"], "r")
    beats = correlation_matrix(views["beat_correlations"], "r")
    n_songs = int(views["song_correlations"]["n"].max() or 0)
    n_beats = int(views["beat_correlations"]["n"].max() or 0)
    _draw_matrix(axes[0], songs, f"Q2: song features, Pearson r (up to {n_songs} tracks)", 1.0)
    image = _draw_matrix(axes[1], beats, f"Q3: beat features, Pearson r ({n_beats} beats)", 1.0)
    fig.colorbar(
        image, ax=axes, shrink=0.8, label=f"Pearson r ({DASH} = undefined: constant or no data)"
    )
    return _save(fig, path)


def _comparison(views: dict[str, pd.DataFrame], path: Path) -> Path:
    """Question 4: each feature pair's r for songs beside r for beats, largest gaps first."""
    frame = views["correlation_comparison"]
    pairs = frame[(frame["x_order"] < frame["y_order"])].copy()
    pairs["gap"] = pairs["difference"].astype("float64").abs()
    pairs = pairs.sort_values("gap", ascending=False, na_position="last").head(20)
    labels = [
        f"{x} {TIMES} {y}" for x, y in zip(pairs["feature_x"], pairs["feature_y"], strict=True)
    ]
    positions = np.arange(len(pairs))
    fig, ax = plt.subplots(figsize=(11, 9))
    height = 0.4
    for offset, column, color in ((-1, "r_songs", "#2166AC"), (1, "r_beats", "#F4A582")):
        label = column.removeprefix("r_")
        shift = positions + offset * height / 2
        ax.barh(shift, _floats(pairs[column]), height, color=color, label=label)
    for pos, same in zip(positions, pairs["same_sign"], strict=True):
        if pd.notna(same) and not same:
            ax.text(1.02, pos, "sign differs", va="center", fontsize=8, color="#B2182B")
    ax.set_yticks(positions, labels, fontsize=9)
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set(
        xlim=(-1, 1.25),
        xlabel="Pearson r",
        title="Q4: Do beats share the songs' feature correlations? (20 largest gaps)",
    )
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right")
    return _save(fig, path)
