#!/usr/bin/env python3
"""Renders results/jmh-process-manager.json (JMH's JSON) as diagrams/benchmark.svg.

Usage (from 03-process-manager/):
    python3 diagrams/render_benchmark.py results/jmh-process-manager.json diagrams/benchmark.svg \
        --cpus 2 --date 2026-11-24 --note "machine shared with two other builds"

Standard library only. Bars show the score, whiskers JMH's 99.9% error.
"""
import argparse
import json
from xml.sax.saxutils import escape

W, BAR_H, GAP, LEFT, TOP = 760, 26, 10, 250, 40


def panel(title, rows, unit, y0):
    """One horizontal bar chart; rows are (label, score, error)."""
    top = max(s + e for _, s, e in rows) or 1
    scale = (W - LEFT - 90) / top
    out = [f'<text x="10" y="{y0}" font-weight="bold">{escape(title)}</text>']
    y = y0 + 12
    for label, score, err in rows:
        x1 = LEFT + score * scale
        out.append(f'<text x="{LEFT - 8}" y="{y + 18}" text-anchor="end">{escape(label)}</text>')
        out.append(f'<rect x="{LEFT}" y="{y}" width="{score * scale:.1f}" height="{BAR_H}" fill="#4a7ab7"/>')
        lo, hi = LEFT + max(0, score - err) * scale, LEFT + (score + err) * scale
        out.append(f'<line x1="{lo:.1f}" x2="{hi:.1f}" y1="{y + BAR_H / 2}" y2="{y + BAR_H / 2}" stroke="#222"/>')
        out.append(f'<text x="{min(x1, W - 85) + 6:.1f}" y="{y + 18}">{score:,.1f} {escape(unit)}</text>')
        y += BAR_H + GAP
    return out, y + 20


def main():
    p = argparse.ArgumentParser()
    p.add_argument("json")
    p.add_argument("svg")
    p.add_argument("--cpus", required=True)
    p.add_argument("--date", required=True)
    p.add_argument("--note", default="")
    a = p.parse_args()
    runs = json.load(open(a.json))
    thr, rel, jdk = [], [], ""
    for r in runs:
        m, params = r["primaryMetric"], r.get("params", {})
        jdk = f'{r.get("vmName", "")} {r.get("jdkVersion", "")}'
        row = (m["score"], m["scoreError"] if m["scoreError"] == m["scoreError"] else 0.0)
        if r["benchmark"].endswith("helloWorldGet"):
            thr.append((f'{params["runBy"]}, {params["instances"]} instances', *row))
            thr_unit = m["scoreUnit"]
        elif r["benchmark"].endswith("rollingReload"):
            rel.append((f'jpm reload, {params["instances"]} instances', *row))
            rel_unit = m["scoreUnit"]
    body, y = [], TOP
    if thr:
        part, y = panel("Throughput, hello-world GET (higher is better)", thr, thr_unit, y)
        body += part
    if rel:
        part, y = panel("Rolling reload, whole app (lower is better)", rel, rel_unit, y)
        body += part
    caption = f"{jdk.strip()}, {a.cpus} CPUs, {a.date}. {a.note}".strip()
    body.append(f'<text x="10" y="{y}" font-size="12" fill="#555">{escape(caption)}</text>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{y + 15}" '
           f'font-family="sans-serif" font-size="14">\n<rect width="100%" height="100%" fill="white"/>\n'
           + "\n".join(body) + "\n</svg>\n")
    open(a.svg, "w").write(svg)


if __name__ == "__main__":
    main()
