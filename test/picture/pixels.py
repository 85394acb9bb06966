#!/usr/bin/env python3
"""Count the pixels of each verdict colour in a rendered calendar.

Usage: pixels.py PNG WIDTH HEIGHT VERDICT=COLOUR:CELLS ...
Checks that the PNG is WIDTH x HEIGHT and that each colour covers about
CELLS cells of 24 x 20 (a white 1-pixel grid between them may eat up to
a row and a column of each) plus its 14 x 14 legend swatch; prints the
counts.  Exits 1 on any mismatch.
"""
import sys
from PIL import Image

CELL_W, CELL_H, SWATCH = 24, 20, 14


def main(png, width, height, specs):
    image = Image.open(png).convert('RGB')
    ok = True
    if image.size != (int(width), int(height)):
        print(f'picture: {png} is {image.size[0]}x{image.size[1]}, expected {width}x{height}')
        ok = False
    counts = {}
    for rgb in image.getdata():
        counts[rgb] = counts.get(rgb, 0) + 1
    report = []
    for spec in specs:
        verdict, rest = spec.split('=')
        colour, cells = rest.split(':')
        rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
        cells = int(cells)
        found = counts.get(rgb, 0)
        low = cells * (CELL_W - 1) * (CELL_H - 1) + (SWATCH - 2) ** 2
        high = cells * CELL_W * CELL_H + SWATCH ** 2
        report.append(f'{verdict} {colour} {found} px ({cells} cells)')
        if not low <= found <= high:
            print(f'picture: {verdict} ({colour}) covers {found} pixels, expected {low} to {high} for {cells} cells')
            ok = False
    print('picture: ' + '; '.join(report))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]))
