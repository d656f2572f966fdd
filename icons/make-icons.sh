#!/bin/sh
# Draws Ringside's app icon set and tray icons with ImageMagick primitives.
# Run from anywhere: sh icons/make-icons.sh  (ImageMagick 6 `convert` or 7 `magick`).
set -eu
cd "$(dirname "$0")"
if command -v magick >/dev/null 2>&1; then IM="magick"; else IM="convert"; fi

GREEN='#2e9e44'; AMBER='#e0a100'; BLUE='#1f6fd1'; VIOLET='#7c4dc4'; GREY='#8a8f98'
WHITE='#ffffff'; NAVY='#1d3557'

# Every glyph is drawn on a 256x256 canvas and scaled down, so edges stay smooth.
disc() { echo "fill $1 stroke none circle 128,128 128,12"; }
ring() { echo "fill none stroke $1 stroke-width 22 circle 128,128 128,24"; }
bar() { echo "fill $1 stroke none roundrectangle 64,112 192,144 14,14"; }
bell() {
  echo "fill $1 stroke none path 'M 128,56 C 92,56 78,86 78,118 L 78,150 L 62,172 L 194,172 L 178,150 L 178,118 C 178,86 164,56 128,56 Z'"
  echo "fill $1 stroke none circle 128,186 128,200"
  echo "fill $1 stroke none circle 128,52 128,60"
}
# The receiver's grip: a quarter ring around (176,82), as a polygon (ImageMagick 6 strokes
# thick arcs badly).
GRIP=$(awk 'BEGIN { cx = 176; cy = 82; ro = 113; ri = 83; q = 3.14159265 / 2; s = "";
  for (i = 0; i <= 24; i++) { a = q + i * q / 24; s = s sprintf(" %.1f,%.1f", cx + ro * cos(a), cy + ro * sin(a)) }
  for (i = 24; i >= 0; i--) { a = q + i * q / 24; s = s sprintf(" %.1f,%.1f", cx + ri * cos(a), cy + ri * sin(a)) }
  print s }')
handset() {
  # A receiver: the grip bowed towards the bottom left, ear and mouth pads on its inner side.
  echo "fill $1 stroke none polygon $GRIP"
  echo "fill none stroke $1 stroke-width 44 stroke-linecap round path 'M 82,82 L 110,82'"
  echo "fill none stroke $1 stroke-width 44 stroke-linecap round path 'M 176,176 L 176,148'"
}
pen() {
  echo "fill $1 stroke none path 'M 170,52 L 204,86 L 110,180 L 76,146 Z'"
  echo "fill $1 stroke none path 'M 70,152 L 104,186 L 56,200 Z'"
}

draw() { # name, draw commands...
  out="$1"; shift
  "$IM" -size 256x256 xc:none -draw "$*" -resize 64x64 -depth 8 -strip "PNG32:$out"
}

draw tray-ready.png "$(disc "$GREEN")"
draw tray-not-ready.png "$(disc "$AMBER") $(bar "$WHITE")"
draw tray-ringing.png "$(disc "$BLUE") $(bell "$WHITE")"
draw tray-talking.png "$(disc "$BLUE") $(handset "$WHITE")"
draw tray-hold.png "$(ring "$BLUE") $(handset "$BLUE")"
draw tray-wrap-up.png "$(disc "$VIOLET") $(pen "$WHITE")"
draw tray-offline.png "$(ring "$GREY")"

# App icon: the talking receiver, white on a navy rounded square, with a green "ready" dot.
"$IM" -size 256x256 xc:none \
  -draw "fill $NAVY stroke none roundrectangle 10,10 246,246 50,50" \
  -draw "$(handset "$WHITE")" \
  -draw "fill $GREEN stroke $NAVY stroke-width 6 circle 196,60 196,28" \
  -resize 1024x1024 -depth 8 -strip PNG32:app-icon-1024.png
"$IM" app-icon-1024.png -resize 32x32 -depth 8 -strip PNG32:32x32.png
"$IM" app-icon-1024.png -resize 128x128 -depth 8 -strip PNG32:128x128.png
"$IM" app-icon-1024.png -resize 256x256 -depth 8 -strip PNG32:128x128@2x.png
"$IM" app-icon-1024.png -resize 512x512 -depth 8 -strip PNG32:icon.png
"$IM" app-icon-1024.png -define icon:auto-resize=256,128,64,48,32,16 icon.ico
