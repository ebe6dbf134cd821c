#!/usr/bin/env bash
# Processing: `kinora process` (one decode feeding every output, in-process with FFmpeg's
# libraries) against the ffmpeg program doing the same work in the same run, with the same
# encoder settings, on 1080p30 H.264 sources made here:
#   (a) kinora process SRC --out DIR
#   (b) one ffmpeg command: decode once, split, one libx264 encode per rung, the 720p encode
#       shared by its HLS rendition and the MP4 (tee muxer), audio encoded once, thumbnails
#   (c) one ffmpeg process per output, one after another, each decoding the source (the
#       original architecture): one per HLS rung, one for the MP4, one for the thumbnails
#   (d) (b), then a second ffmpeg pass computing the same content analysis Kinora makes in its
#       one pass (ebur128 with true peak, scdet, blackdetect, freezedetect, silencedetect and a
#       tile storyboard; docs/content-analysis.md)
#   (n) kinora process --no-analysis: what the analysis adds to Kinora's own time
# Sources: "reencode" (12 Mb/s, above 1.5x the 1080p cap, so the top rung is encoded) and "copy"
# (web-ready: yuv420p, 2 s GOP, under the cap, so the top rung is copied; (b) and (c) copy it too,
# and the audio when Kinora would). Every output of every way is checked before its timings count.
#   bash bench/process.sh        # RUNS, PROCESS_SOURCES ("reencode copy"), PROCESS_SECONDS (30)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"; source "$ROOT/bench/lib.sh"
OUT="${BENCH_OUT:-$ROOT/bench/out}"; P="$OUT/process"; mkdir -p "$P"
RUNS="${RUNS:-3}"; SECS="${PROCESS_SECONDS:-30}"; SOURCES="${PROCESS_SOURCES:-reencode copy}"

# Same settings as libs/media (ladder.cc PlanRenditions and the pipeline): name:w:h:cap (bits/s),
# bufsize = 2 x cap, 2 s GOP at 30 fps, 4 s fMP4 segments. A 1080p source gets every step of the
# ladder, down to 240p.
RUNGS=(1080p:1920:1080:5000000 720p:1280:720:3000000 480p:854:480:1500000 360p:640:360:800000
       240p:426:240:400000)
X264=(-c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -g 60 -keyint_min 60 -sc_threshold 0)
AAC=(-c:a aac -b:a 128k -ar 48000 -ac 2)
HLS=(-hls_time 4 -hls_playlist_type vod -hls_segment_type fmp4 -hls_fmp4_init_filename init.mp4)
SCALE=flags=bicubic
FF=(ffmpeg -nostdin -hide_banner -loglevel error -y)

# ---- sources (cached) -------------------------------------------------------------------------
# testsrc2 with temporal noise (not trivially compressible) and a stereo tone. The "reencode"
# source's audio is 44.1 kHz, so it is encoded too; the "copy" source's (AAC-LC 48 kHz stereo) is
# web-ready, and Kinora copies it (libs/media/transcode.cc AudioIsWebReady), so (b) and (c) do.
make_source() {  # NAME FILE
  local enc
  case "$1" in
    reencode) enc=(-b:v 12M -maxrate 12M -bufsize 24M -g 30 -c:a aac -b:a 192k -ar 44100) ;;
    copy) enc=(-b:v 4M -maxrate 4500k -bufsize 9M -g 60 -keyint_min 60 -sc_threshold 0
               -c:a aac -b:a 128k -ar 48000) ;;
  esac
  "${FF[@]}" -f lavfi -i "testsrc2=size=1920x1080:rate=30:duration=$SECS,noise=alls=6:allf=t+u" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$SECS" \
    -c:v libx264 -preset veryfast -profile:v high -pix_fmt yuv420p "${enc[@]}" -ac 2 \
    -movflags +faststart "$2.tmp.mp4"
  mv "$2.tmp.mp4" "$2"
}

# ---- the three ways, written as scripts (kept in bench/out/process/NAME/ to rerun by hand) ----
q() { printf '%q ' "$@"; echo; }

master_cmd() {  # DIR: the master playlist ffmpeg does not write for separate renditions
  local lines=('#EXTM3U' '#EXT-X-VERSION:7' '#EXT-X-INDEPENDENT-SEGMENTS') r n w h cap
  for r in "${RUNGS[@]}"; do
    IFS=: read -r n w h cap <<<"$r"
    lines+=("#EXT-X-STREAM-INF:BANDWIDTH=$(( (cap + 128000) * 11 / 10 )),RESOLUTION=${w}x$h,CODECS=\"avc1.640028,mp4a.40.2\"" "$n/index.m3u8")
  done
  q printf '%s\n' "${lines[@]}" | sed "s|\$| > $(printf %q "$1/hls/master.m3u8")|"
}

write_scripts() {  # NAME SRC DIR(a/b/c parent) COPY(0/1) FRAMES AUDIO_COPY(0/1)
  local name="$1" src="$2" d="$3" copy="$4" frames="$5" r n w h cap i AAC=("${AAC[@]}")
  (( $6 )) && AAC=(-c:a copy)
  # (a)
  q "$KINORA" process "$src" --out "$d/a" --report "$d/a-report.json" > "$d/a.sh"
  sed -i 's|$| > '"$(printf %q "$d/a-stdout.json")"'|' "$d/a.sh"
  q "$KINORA" process "$src" --out "$d/n" --no-analysis --report "$d/n-report.json" > "$d/n.sh"
  sed -i 's|$| > /dev/null|' "$d/n.sh"

  # (b) one command. Video streams 0..N-1 = rungs, then audio; the tee muxer sends the
  # already-encoded streams to each rung's HLS muxer and the 720p one to the MP4 too.
  local graph="[0:v]split=$(( ${#RUNGS[@]} + 1 ))" maps=() opts=() tee="" dir dirs=()
  for i in "${!RUNGS[@]}"; do graph+="[s$i]"; done; graph+="[st]"
  # 5 thumbnail candidates over 10%..90% of the video (as Kinora samples), most typical kept
  local sel="" k; for k in 0 1 2 3 4; do sel+="${sel:++}eq(n\\,$(( frames * (10 + 20 * k) / 100 )))"; done
  for i in "${!RUNGS[@]}"; do
    IFS=: read -r n w h cap <<<"${RUNGS[$i]}"
    dirs+=("$d/b/hls/$n")
    if (( i == 0 && copy )); then
      maps+=(-map 0:v:0); opts+=(-c:v:0 copy)
      graph="${graph/\[s0\]/}"; graph="${graph/split=$(( ${#RUNGS[@]} + 1 ))/split=${#RUNGS[@]}}"
    elif (( i == 0 )); then
      maps+=(-map "[s0]"); opts+=(-profile:v:0 high -maxrate:v:0 "$cap" -bufsize:v:0 $(( cap * 2 )))
    else
      graph+=";[s$i]scale=$w:$h:${SCALE}[v$i]"
      maps+=(-map "[v$i]"); opts+=("-profile:v:$i" high "-maxrate:v:$i" "$cap" "-bufsize:v:$i" "$(( cap * 2 ))")
    fi
    dir="$d/b/hls/$n"
    tee+="${tee:+|}[select=\\'v:$i,a\\':f=hls:hls_time=4:hls_playlist_type=vod:hls_segment_type=fmp4"
    tee+=":hls_fmp4_init_filename=init.mp4:hls_segment_filename=$dir/seg_%03d.m4s]$dir/index.m3u8"
    (( i == 1 )) && tee+="|[select=\\'v:1,a\\':f=mp4:movflags=+faststart]$d/b/video.mp4"
  done
  graph+=";[st]select='$sel',thumbnail=5,split[tp][tc];[tp]scale=1280:720:${SCALE}[poster]"
  graph+=";[tc]scale=320:180:$SCALE:force_original_aspect_ratio=decrease,pad=320:180:(ow-iw)/2:(oh-ih)/2[card]"
  {
    echo 'set -e'
    q mkdir -p "${dirs[@]}"
    q "${FF[@]}" -i "$src" -filter_complex "$graph" "${maps[@]}" -map 0:a:0 "${X264[@]}" "${opts[@]}" \
      "${AAC[@]}" -flags +global_header -f tee "$tee" \
      -map "[poster]" -frames:v 1 -q:v 4 -update 1 "$d/b/poster.jpg" \
      -map "[card]" -frames:v 1 -q:v 4 -update 1 "$d/b/thumbnail.jpg"
    master_cmd "$d/b"
  } > "$d/b.sh"

  # (d) (b), then the analysis as a second pass: detectors on the full frames (as a script
  # would write it), a storyboard of 160x90 tiles one a second in 10x10 sheets, loudness and
  # silence of the decoded audio.
  {
    sed "s|$(printf %q "$d/b")|$(printf %q "$d/d")|g" "$d/b.sh"
    q mkdir -p "$d/d/storyboard"
    q "${FF[@]}" -i "$src" -filter_complex \
      "[0:v]scdet=t=10,blackdetect=d=0.5,freezedetect=n=-60dB:d=1,fps=1,scale=160:90:${SCALE},tile=10x10[sb];[0:a]ebur128=peak=true,silencedetect=n=-60dB:d=1[au]" \
      -map "[sb]" -q:v 4 "$d/d/storyboard/sprite_%03d.jpg" -map "[au]" -f null -
  } > "$d/d.sh"

  # (c) one process per output
  {
    echo 'set -e'
    for r in "${RUNGS[@]}"; do
      IFS=: read -r n w h cap <<<"$r"
      local v=("${X264[@]}" -profile:v high -maxrate "$cap" -bufsize $(( cap * 2 )))
      [[ $n == 1080p ]] && (( copy )) && v=(-c:v copy)
      [[ $n == 1080p ]] || v=(-vf "scale=$w:$h:$SCALE" "${v[@]}")
      q mkdir -p "$d/c/hls/$n"
      q "${FF[@]}" -i "$src" -map 0:v:0 -map 0:a:0 "${v[@]}" "${AAC[@]}" -f hls "${HLS[@]}" \
        -hls_segment_filename "$d/c/hls/$n/seg_%03d.m4s" "$d/c/hls/$n/index.m3u8"
    done
    q "${FF[@]}" -i "$src" -map 0:v:0 -map 0:a:0 -vf "scale=1280:720:$SCALE" "${X264[@]}" \
      -profile:v high -maxrate 3000000 -bufsize 6000000 "${AAC[@]}" -movflags +faststart "$d/c/video.mp4"
    # A thumbnail process seeks to the middle and decodes one GOP (cheaper than (b)'s sampling).
    q "${FF[@]}" -ss $(( SECS / 2 )) -i "$src" -filter_complex \
      "[0:v]split[a][b];[a]scale=1280:720:${SCALE}[poster];[b]scale=320:180:$SCALE:force_original_aspect_ratio=decrease,pad=320:180:(ow-iw)/2:(oh-ih)/2[card]" \
      -map "[poster]" -frames:v 1 -q:v 4 -update 1 "$d/c/poster.jpg" \
      -map "[card]" -frames:v 1 -q:v 4 -update 1 "$d/c/thumbnail.jpg"
    master_cmd "$d/c"
  } > "$d/c.sh"
}

# present DIR: every output exists and is not empty (after each run; the full check is below)
present() {
  local f n r missing=()
  for f in hls/master.m3u8 video.mp4 thumbnail.jpg poster.jpg; do [[ -s "$1/$f" ]] || missing+=("$f"); done
  for r in "${RUNGS[@]}"; do
    n=${r%%:*}
    for f in index.m3u8 init.mp4; do [[ -s "$1/hls/$n/$f" ]] || missing+=("hls/$n/$f"); done
    compgen -G "$1/hls/$n/seg_*.m4s" >/dev/null || missing+=("hls/$n/seg_*.m4s")
  done
  (( ${#missing[@]} == 0 )) || { echo "missing or empty: ${missing[*]}"; return 1; }
}

# verify DIR WAY SRC CHECKDIR MP4_IS_720P COPY RUNGS: full check of one way's outputs. Prints problems (one a
# line) and writes facts to CHECKDIR/WAY.json. Renditions are rebuilt as init + segments in
# playlist order (what a player fetches) into CHECKDIR/WAY-RUNG.mp4, decoded with -xerror.
verify() {
  python3 - "$@" <<'PY'
import json, os, re, subprocess, sys
d, way, src, chk, mp4_same, copy, rungs = sys.argv[1:8]
RUNGS = {r.split(":")[0]: tuple(map(int, r.split(":")[1:3])) for r in rungs.split()}
problems, facts = [], {"renditions": {}}

def probe(path, *extra):
    out = subprocess.run(["ffprobe", "-v", "error", "-of", "json", "-show_streams", "-show_format",
                          *extra, path], capture_output=True, text=True)
    if out.returncode:
        return None
    return json.loads(out.stdout)

def stream(info, kind):
    return next((s for s in info["streams"] if s["codec_type"] == kind), None)

def decodes(path):
    r = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-xerror", "-i", path, "-f", "null", "-"],
                       capture_output=True, text=True)
    return r.returncode == 0 and not r.stderr.strip(), r.stderr.strip()[:200]

def packet_hashes(path):  # MD5 of each video packet's payload, in order
    out = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-map", "0:v:0", "-c", "copy",
                          "-f", "framemd5", "-"], capture_output=True, text=True).stdout
    return [l.rsplit(",", 1)[1].strip() for l in out.splitlines() if l and not l.startswith("#")]

def packets(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "packet=pts_time,flags,size", "-of", "csv=p=0", path],
                         capture_output=True, text=True).stdout.split()
    return [(float(t), int(s), "K" in f) for t, s, f in (l.split(",")[:3] for l in out)]

def nonempty(rel):
    ok = os.path.isfile(os.path.join(d, rel)) and os.path.getsize(os.path.join(d, rel)) > 0
    if not ok:
        problems.append(f"missing or empty: {rel}")
    return ok

s = probe(src, "-count_packets")
src_frames = int(stream(s, "video")["nb_read_packets"])
src_dur = float(s["format"]["duration"])

# master playlist
if nonempty("hls/master.m3u8"):
    text = open(os.path.join(d, "hls/master.m3u8")).read().splitlines()
    variants = [(text[i], text[i + 1].strip()) for i in range(len(text) - 1)
                if text[i].startswith("#EXT-X-STREAM-INF")]
    names = sorted(u.split("/")[0] for _, u in variants)
    if names != sorted(RUNGS):
        problems.append(f"master.m3u8 lists {names}, expected {sorted(RUNGS)}")
    for attrs, uri in variants:
        if not os.path.isfile(os.path.join(d, "hls", uri)):
            problems.append(f"master.m3u8 points at a missing {uri}")
        for a in ("BANDWIDTH=", "RESOLUTION=", "CODECS="):
            if a not in attrs:
                problems.append(f"master.m3u8 entry for {uri} has no {a[:-1]}")

keyframes = {}
for name, (w, h) in RUNGS.items():
    rel = f"hls/{name}/index.m3u8"
    if not nonempty(rel):
        continue
    lines = open(os.path.join(d, rel)).read().splitlines()
    init = next((re.search(r'URI="([^"]+)"', l).group(1) for l in lines if l.startswith("#EXT-X-MAP")), None)
    segs, durs = [], []
    for i, l in enumerate(lines):
        if l.startswith("#EXTINF:"):
            durs.append(float(l[8:].split(",")[0]))
            segs.append(lines[i + 1].strip())
    if "#EXT-X-ENDLIST" not in lines:
        problems.append(f"{rel}: no #EXT-X-ENDLIST")
    if not init:
        problems.append(f"{rel}: no #EXT-X-MAP (not fMP4)")
        continue
    if not all(nonempty(f"hls/{name}/{f}") for f in [init] + segs) or not segs:
        continue
    joined = os.path.join(chk, f"{way}-{name}.mp4")
    with open(joined, "wb") as out:
        for f in [init] + segs:
            out.write(open(os.path.join(d, "hls", name, f), "rb").read())
    info = probe(joined, "-count_packets")
    if info is None:
        problems.append(f"{name}: init + segments do not parse")
        continue
    v, a = stream(info, "video"), stream(info, "audio")
    dur = float(info["format"].get("duration", 0))
    pk = packets(joined)
    vbytes = sum(p[1] for p in pk)
    keyframes[name] = [round(t, 2) for t, _, k in pk if k]
    gaps = sorted({round(b - a_, 2) for a_, b in zip(keyframes[name], keyframes[name][1:])})
    r = {"segments": len(segs), "segment_seconds": sorted(set(durs)), "duration": dur,
         "frames": int(v["nb_read_packets"]) if v else 0, "video_kbps": round(vbytes * 8 / dur / 1000) if dur else 0,
         "keyframe_gaps": gaps, "size": f"{v['width']}x{v['height']}" if v else None,
         "pix_fmt": v and v.get("pix_fmt"), "profile": v and v.get("profile"),
         "audio": a and f"{a['codec_name']} {a['sample_rate']} Hz {a['channels']} ch"}
    facts["renditions"][name] = r
    if not v or v["codec_name"] != "h264" or (v["width"], v["height"]) != (w, h) or v.get("pix_fmt") != "yuv420p":
        problems.append(f"{name}: video is {v and v['codec_name']} {r['size']} {r['pix_fmt']}, expected h264 {w}x{h} yuv420p")
    if v and v.get("profile") != "High":
        problems.append(f"{name}: H.264 profile {v.get('profile')}, expected High")
    if not a or a["codec_name"] != "aac" or a["sample_rate"] != "48000" or a["channels"] != 2:
        problems.append(f"{name}: audio is {r['audio']}, expected aac 48000 Hz 2 ch")
    if r["frames"] != src_frames:
        problems.append(f"{name}: {r['frames']} video frames, the source has {src_frames}")
    if abs(dur - src_dur) > 0.1:
        problems.append(f"{name}: lasts {dur:.3f} s, the source {src_dur:.3f} s")
    if any(abs(x - 4) > 0.05 for x in durs[:-1]) or abs(sum(durs) - src_dur) > 0.1:
        problems.append(f"{name}: segment durations {durs} (expected 4 s each, {src_dur:.2f} s in all)")
    if any(abs(g - 2) > 0.02 for g in gaps):
        problems.append(f"{name}: keyframe gaps {gaps} s (expected 2 s)")
    ok, err = decodes(joined)
    if not ok:
        problems.append(f"{name}: does not decode cleanly: {err}")
    if name == "1080p" and copy == "1":
        r["copy_of_source"] = packet_hashes(joined) == packet_hashes(src)
        if not r["copy_of_source"]:
            problems.append("1080p: its video packets are not the source's (expected a copy)")
if len(keyframes) > 1 and len({tuple(k) for k in keyframes.values()}) != 1:
    problems.append("keyframes are not aligned across renditions")

# MP4
if nonempty("video.mp4"):
    path = os.path.join(d, "video.mp4")
    info = probe(path, "-count_packets")
    v, a = stream(info, "video"), stream(info, "audio")
    dur = float(info["format"]["duration"])
    facts["mp4"] = {"size": f"{v['width']}x{v['height']}", "duration": dur, "frames": int(v["nb_read_packets"]),
                    "kbps": round(int(info["format"]["bit_rate"]) / 1000)}
    if v["codec_name"] != "h264" or (v["width"], v["height"]) != (1280, 720) or v.get("pix_fmt") != "yuv420p":
        problems.append(f"video.mp4: video is {v['codec_name']} {v['width']}x{v['height']} {v.get('pix_fmt')}")
    if not a or a["codec_name"] != "aac":
        problems.append("video.mp4: no AAC audio")
    if int(v["nb_read_packets"]) != src_frames or abs(dur - src_dur) > 0.1:
        problems.append(f"video.mp4: {v['nb_read_packets']} frames, {dur:.3f} s; the source {src_frames}, {src_dur:.3f} s")
    # +faststart: the moov box comes before mdat
    boxes, data = [], open(path, "rb")
    while True:
        hdr = data.read(8)
        if len(hdr) < 8:
            break
        size, kind = int.from_bytes(hdr[:4], "big"), hdr[4:].decode("latin1")
        if size == 1:
            size = int.from_bytes(data.read(8), "big") - 8
        boxes.append(kind)
        if size < 8:
            break
        data.seek(size - 8, 1)
    if "moov" not in boxes or "mdat" in boxes and boxes.index("moov") > boxes.index("mdat"):
        problems.append(f"video.mp4: not faststart (top-level boxes {boxes})")
    ok, err = decodes(path)
    if not ok:
        problems.append(f"video.mp4: does not decode cleanly: {err}")
    rung = os.path.join(chk, f"{way}-720p.mp4")
    if os.path.isfile(rung):
        same = packet_hashes(path) == packet_hashes(rung)
        facts["mp4_packets_equal_720p"] = same
        if mp4_same == "1" and not same:
            problems.append("video.mp4: its video packets are not the 720p rendition's")

# thumbnails
for f, want in (("thumbnail.jpg", (320, 180)), ("poster.jpg", None)):
    if not nonempty(f):
        continue
    info = probe(os.path.join(d, f))
    v = info and stream(info, "video")
    facts[f] = v and f"{v['width']}x{v['height']}"
    if not v or (want and (v["width"], v["height"]) != want):
        problems.append(f"{f}: {facts[f]}, expected {want[0]}x{want[1]}" if want else f"{f}: not an image")
    elif not decodes(os.path.join(d, f))[0]:
        problems.append(f"{f}: does not decode")

json.dump(facts, open(os.path.join(chk, f"{way}.json"), "w"), indent=1)
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
PY
}

# psnr REND SRC LOG -> average PSNR (dB) of REND against SRC scaled to 1280x720, frame by frame
psnr() {
  ffmpeg -nostdin -hide_banner -i "$1" -i "$2" -lavfi \
    "[0:v]setpts=PTS-STARTPTS[m];[1:v]scale=1280:720:$SCALE,setpts=PTS-STARTPTS[r];[m][r]psnr=shortest=1:stats_file=$3.stats" \
    -f null - 2>"$3"
  sed -n 's/.*PSNR .* average:\([0-9.inf]*\).*/\1/p' "$3" | tail -1
}

# ---- run ---------------------------------------------------------------------------------------
have_a=1
if ! "$KINORA" --help 2>/dev/null | grep -qE '^ +process '; then
  have_a=0; echo "process: '$KINORA process' is not available; (a) skipped" >&2
fi
ways="a n b c d"; (( have_a )) || ways="b c d"
failed=0
printf 'source\tway\trun\twall_s\tuser_s\tsys_s\n' > "$P/times.tsv"; : > "$P/summary.txt"

for name in $SOURCES; do
  src="$OUT/process-source-$name-${SECS}s.mp4"
  [[ -f "$src" ]] || make_source "$name" "$src"
  d="$P/$name"; rm -rf "$d"; mkdir -p "$d/check"
  read -r frames vkbps pixfmt < <(ffprobe -v error -select_streams v:0 -count_packets \
    -show_entries stream=nb_read_packets,bit_rate,pix_fmt -of csv=p=0 "$src" |
    awk -F, '{print $3, int($2/1000), $1}')
  copy=0; [[ $name == copy ]] && copy=1
  audio=$(ffprobe -v error -select_streams a:0 -show_entries stream=codec_name,profile,sample_rate,channels \
    -of csv=p=0 "$src")  # e.g. "aac,LC,48000,2"
  acopy=0; [[ $audio == aac,LC,48000,2 ]] && acopy=1
  write_scripts "$name" "$src" "$d" "$copy" "$frames" "$acopy"
  src_ways="$ways"
  if (( copy )); then
    # (B): the same one ffmpeg command, re-encoding every rung and the audio, as a script that
    # does not look at its input would. What Kinora saves by noticing the source qualifies.
    mkdir -p "$d/full"; write_scripts "$name" "$src" "$d/full" 0 "$frames" 0
    sed "s|$(printf %q "$d/full/b")|$(printf %q "$d/B")|g" "$d/full/b.sh" > "$d/B.sh"
    src_ways="$ways B"
  fi

  declare -A wall=() cpu=() bad=()
  for i in $(seq "$RUNS"); do
    for w in $src_ways; do
      rm -rf "${d:?}/$w" "$d/$w-report.json" "$d/$w-stdout.json"
      if ! timed "$d/$w.time" bash "$d/$w.sh" 2>>"$d/$w.log"; then
        bad[$w]="exited with an error (see $d/$w.log)"; continue
      fi
      if ! msg=$(present "$d/$w"); then bad[$w]="$msg"; fi
      read -r t u s < "$d/$w.time"
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$w" "$i" "$t" "$u" "$s" >> "$P/times.tsv"
      wall[$w]+="$t "; cpu[$w]+="$(python3 -c "print($u+$s)") "
    done
  done

  # Full checks of the last run's outputs (every run timed the same commands; each run's outputs
  # were checked for presence above).
  for w in $src_ways; do
    mp4_same=0; [[ $w != c ]] && mp4_same=1
    wcopy=$copy; [[ $w == B ]] && wcopy=0
    if [[ -z "${bad[$w]:-}" ]] && ! msg=$(verify "$d/$w" "$w" "$src" "$d/check" "$mp4_same" "$wcopy" "${RUNGS[*]}"); then
      bad[$w]="$msg"
    fi
  done

  # shellcheck disable=SC2086  # $1 is a list of numbers, split on purpose
  med() { printf '%s\n' $1 | median; }
  line() {  # WAY LABEL
    if [[ -z "${wall[$1]:-}" ]]; then printf '  %-24s %s' "$2" "no timing: ${bad[$1]:-}"; return; fi
    printf '  %-24s wall %6.1f s  CPU %6.1f s' "$2" "$(med "${wall[$1]}")" "$(med "${cpu[$1]}")"
  }
  ratio() {  # WAY TARGET
    if [[ $1 == a || -z "${wall[a]:-}" || -z "${wall[$1]:-}" ]]; then echo; return; fi
    python3 - "$(med "${wall[a]}")" "$(med "${cpu[a]}")" "$(med "${wall[$1]}")" "$(med "${cpu[$1]}")" "$1" "$2" <<'PY'
import sys
aw, ac, bw, bc, way, target = sys.argv[1:]
rw, rc = float(aw) / float(bw), float(ac) / float(bc)
s = f" | a/{way} wall {rw:.2f}  CPU {rc:.2f}"
if target:
    t = float(target)
    s += f"  target <= {t:.2f}: wall {'ok' if rw <= t else 'MISSED'}, CPU {'ok' if rc <= t else 'MISSED'}"
print(s)
PY
  }
  case $name in
    reencode) target=1.0; what="top rung encoded" ;;
    copy) target=0.7; what="top rung copied; (b) and (c) copy it too, (B) encodes every rung" ;;
  esac
  IFS=, read -r ac ap ar ach <<<"$audio"
  what+=", audio $ac $ap $ar Hz $ach ch $( (( acopy )) && echo copied || echo encoded)"
  {
    printf 'process %s: %s s 1080p30 H.264 %s %s kb/s (%s), median of %s\n' \
      "$name" "$SECS" "$pixfmt" "$vkbps" "$what" "$RUNS"
    if (( have_a )); then
      line a "kinora process (a)"; ratio a ""
      line n "kinora --no-analysis (n)"; ratio n 1.10
    fi
    if (( copy )); then
      line b "one ffmpeg (b)"; ratio b ""
      line B "ffmpeg all encoded (B)"; ratio B "$target"
    else
      line b "one ffmpeg (b)"; ratio b "$target"
    fi
    line c "ffmpeg per output (c)"; ratio c ""
    line d "ffmpeg (b) + analysis (d)"; ratio d 0.7
    if (( have_a )) && [[ -n "${wall[b]:-}" && -n "${wall[d]:-}" ]]; then  # the issue's "(b)+(d)" read literally
      python3 -c "
a, b, d = $(med "${wall[a]}"), $(med "${wall[b]}"), $(med "${wall[d]}")
ca, cb, cd = $(med "${cpu[a]}"), $(med "${cpu[b]}"), $(med "${cpu[d]}")
print(f'  a/((b)+(d)) wall {a / (b + d):.2f}  CPU {ca / (cb + cd):.2f}; the analysis pass alone (d)-(b): wall {d - b:.1f} s  CPU {cd - cb:.1f} s')"
    fi
    if (( have_a )) && [[ -f "$d/a/analysis.json" ]]; then
      python3 - "$d/a/analysis.json" "$d/a-report.json" <<'PY'
import json, sys
a, r = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
q = ", ".join(f"{x['rung']} {'copied' if x['copied'] else 'SSIM %.3f' % x['ssim']}" for x in a["quality"])
l = a.get("loudness") or {}
print(f"  kinora analysis: complete {a['complete']}, {len(a['scenes'])} cuts, loudness {l.get('integrated_lufs')} LUFS "
      f"peak {l.get('true_peak_dbtp')} dBTP, storyboard {(a.get('storyboard') or {}).get('tiles')} tiles, "
      f"quality: {q or 'none'}; writing it after the pass {r.get('analysis_seconds', 0):.2f} s")
PY
    fi
    if (( have_a )) && [[ -f "$d/check/a-720p.mp4" && -f "$d/check/b-720p.mp4" ]]; then
      pa=$(psnr "$d/check/a-720p.mp4" "$src" "$d/psnr-a.log")
      pb=$(psnr "$d/check/b-720p.mp4" "$src" "$d/psnr-b.log")
      ka=$(python3 -c "import json; print(json.load(open('$d/check/a.json'))['renditions']['720p']['video_kbps'])")
      kb=$(python3 -c "import json; print(json.load(open('$d/check/b.json'))['renditions']['720p']['video_kbps'])")
      python3 -c "
a, b = float('${pa:-nan}'), float('${pb:-nan}'); diff = a - b
print(f'  PSNR 720p vs source@720p  kinora {a:.2f} dB ({$ka} kb/s) | ffmpeg (b) {b:.2f} dB ({$kb} kb/s)'
      f' | diff {diff:+.2f} dB  target |diff| <= 0.5: {\"ok\" if abs(diff) <= 0.5 else \"MISSED\"}')"
    elif [[ -f "$d/check/b-720p.mp4" ]]; then
      pb=$(psnr "$d/check/b-720p.mp4" "$src" "$d/psnr-b.log")
      printf '  PSNR 720p vs source@720p  ffmpeg (b) %.2f dB (kinora: no 720p rendition)\n' "$pb"
    fi
    if (( have_a )); then
      # The report's renditions, and whether the top rung was copied exactly when it should be.
      python3 - "$d/a-report.json" "$copy" <<'PY' || bad[a]+="${bad[a]:+$'\n'}the report's copy flags are not as expected"
import json, sys
try:
    rs = json.load(open(sys.argv[1]))["renditions"]
except Exception as e:
    print(f"  kinora report: unreadable ({e!r})"); sys.exit(1)
print("  kinora report: " + ", ".join(f"{x.get('name')} {x.get('width')}x{x.get('height')}"
                                      f"{' copy' if x.get('copy') else ''}" for x in rs))
copied = sorted(x.get("name") for x in rs if x.get("copy"))
want = ["1080p"] if sys.argv[2] == "1" else []
if copied != want:
    print(f"  kinora report: copied {copied or 'nothing'}, expected {want or 'nothing'}"); sys.exit(1)
PY
    fi
    ok=1
    for w in $ways; do
      if [[ -n "${bad[$w]:-}" ]]; then
        ok=0; failed=1; echo "  ($w) OUTPUTS INVALID, timings not to be trusted:"; sed 's/^/    /' <<<"${bad[$w]}"
      fi
    done
    if (( ok )); then
      echo "  outputs checked: ($(sed 's/ /), (/g' <<<"$ways")) complete, decodable, keyframes aligned"
    fi
  } > "$d/summary.txt"  # not a pipe: `failed` must survive the block
  tee -a "$P/summary.txt" < "$d/summary.txt"
  unset wall cpu bad
done
exit "$failed"
