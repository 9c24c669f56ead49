#!/usr/bin/env bash
# Build the Klaten Desktop Inno Setup installer on Linux under Wine, then prove it: silent install, upgrade and
# uninstall, with the per-user data folder surviving both.
#
#   WINEPREFIX=/tmp/x/prefix WORK=/tmp/x bash scripts/windows/installer.sh BUNDLE_DIR OUT_DIR
#
#   BUNDLE_DIR  the PyInstaller one-folder build of build.spec (KlatenDesktop.exe, klaten-desktop-cli.exe, _internal)
#   OUT_DIR     receives KlatenDesktop-<version>-setup.exe (+ .sha256): the release installer, built as release.ps1
#               builds it (the .iss's own compression) from the version in klaten_desktop/__init__.py
#   WINEPREFIX  a 64-bit Wine prefix (created if missing; an existing one gets its 32-bit half if it lacks it)
#   WORK        work folder for the cached Inno Setup download, the upgrade-test build and the setup logs
#               (default ${TMPDIR:-/tmp}/klaten-inno)
#   INNO_COMPRESSION  optional, e.g. zip/1: a faster but bigger release installer (default: the .iss's lzma2/max)
#
# Needs root for apt only when something is missing: wine, wine64, wine32:i386 (Inno Setup 6 is 32-bit; adds
# the i386 architecture), osslsigncode. Inno Setup comes from npm's `innosetup` package (pinned version and
# tarball hash; the Authenticode signature of every .exe/.dll is verified). Idempotent: run it as often as
# you like. Exits non-zero on the first failed check with one line "installer.sh: GAGAL: ...".
set -euo pipefail

die() { echo "installer.sh: GAGAL: $*" >&2; exit 1; }
# --packages-only: just the Debian packages (step 1), so a caller can have wine32 in place before it makes its
# own Wine prefix (installing wine32 later changes how `wine` starts programs in an existing prefix).
PACKAGES_ONLY=
if [ "${1:-}" = --packages-only ]; then
  PACKAGES_ONLY=1
else
  [ $# -eq 2 ] || die "pemakaian: bash scripts/windows/installer.sh [--packages-only | BUNDLE_DIR OUT_DIR]"
  BUNDLE=$(cd "$1" 2>/dev/null && pwd) || die "folder bundel tidak ada: $1"
  mkdir -p "$2" && OUT=$(cd "$2" && pwd)
  [ -n "${WINEPREFIX:-}" ] || die "WINEPREFIX belum diatur"
fi
REPO=$(cd "$(dirname "$0")/../.." && pwd)
ISS=$REPO/scripts/windows/klaten-desktop.iss
export WINEPREFIX WINEDEBUG=-all WINEARCH=win64
WORK=${WORK:-${TMPDIR:-/tmp}/klaten-inno}
CACHE=$WORK/inno
mkdir -p "$CACHE"

INNO_VERSION=6.4.1   # npm `innosetup` 6.4.1 = Inno Setup 6.4.1 (signed by its author, Martijn Laan)
INNO_SHA512=Bh/dNlyyFsFKBGoTf19n1msPnm4Njfb0CWVirw2CV1MSJXYy0ajRI+xjo/Yr9DtZFLLafhnwm1ZsxTu309F8lQ==
INNO_SIGNER='CN=Open Source Developer, Martijn Laan'
CLI_EXE=klaten-desktop-cli.exe   # build.spec: CLI_NAME
GUI_EXE=KlatenDesktop.exe        # build.spec: APP_NAME, the .iss's AppExe

T0=$(date +%s); TP=
phase() {
  local now; now=$(date +%s)
  [ -z "$TP" ] || echo "   ($(( now - TP )) s)"
  TP=$now
  echo "[$(( now - T0 ))s] == $*"
}
# A Windows program whose stdout is a file dies at start under Wine: every Windows program writes into a pipe.
w() { wine "$@" </dev/null 2>&1 | cat; return "${PIPESTATUS[0]}"; }
wq() { wine "$@" </dev/null 2>/dev/null | tr -d '\r'; return "${PIPESTATUS[0]}"; }
winpath() { echo "Z:$(echo "$1" | tr / '\\')"; }
# Wait until every Windows process of the prefix has ended (an installer hands work to child processes).
wine_idle() { timeout 300 wineserver -w || die "proses Wine belum selesai setelah 300 s ($1)"; }
XVFB_PID=
trap 'wineserver -k >/dev/null 2>&1 || true; [ -z "$XVFB_PID" ] || kill "$XVFB_PID" 2>/dev/null || true' EXIT

phase "1. Paket Debian: wine, wine64, wine32:i386 (Inno Setup 32-bit), osslsigncode, xvfb"
need=()
for p in wine wine64 wine32:i386 osslsigncode xvfb; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "memasang: ${need[*]}"
  dpkg --print-foreign-architectures | grep -qx i386 || dpkg --add-architecture i386
  apt-get update -qq || echo "peringatan: apt-get update melaporkan galat (indeks yang gagal diabaikan)"
  apt_install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >"$CACHE/apt.log" 2>&1; }
  if ! apt_install --no-remove "${need[@]}"; then
    # Multi-Arch "same" libraries need one version on both architectures. When the mirror's i386 index lags
    # the amd64 one (here, Dec 2026: bookworm-security's i386 Packages.xz fails apt's size check, so an amd64
    # library updated from bookworm-security has no i386 twin), apt can only solve by removing wine64.
    # Align each such library on the newest version both architectures have, say so, and never remove anything.
    codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
    pins=()
    for _ in 1 2 3 4 5; do
      sim=$(apt-get install -s -t "$codename" --no-install-recommends --no-remove "${need[@]}" "${pins[@]}" 2>&1) && break
      added=0
      for pkg in $(sed -n 's/.*Depends: \([^ :]*\):i386 .*not going to be installed.*/\1/p' <<<"$sim" | sort -u); do
        have=$(dpkg-query -W -f='${Version}' "$pkg:amd64" 2>/dev/null || true)
        both=$(apt-cache policy "$pkg:i386" | awk '/Candidate:/ {print $2}')
        if [ -n "$have" ] && [ -n "$both" ] && [ "$both" != "(none)" ] && dpkg --compare-versions "$have" gt "$both"; then
          echo "peringatan: $pkg:amd64 $have diturunkan ke $both (versi terbaru yang juga ada untuk i386 di mirror)"
          pins+=("$pkg:amd64=$both" "$pkg:i386=$both"); added=1
        fi
      done
      [ $added -eq 1 ] || break
    done
    apt_install -t "$codename" --no-remove --allow-downgrades "${need[@]}" "${pins[@]}" \
      || die "apt-get install ${need[*]} gagal (lihat $CACHE/apt.log)"
  fi
fi
wine --version
[ -z "$PACKAGES_ONLY" ] || exit 0

phase "2. Inno Setup $INNO_VERSION dari npm (paket innosetup), tanda tangan Authenticode"
TGZ=$CACHE/innosetup-$INNO_VERSION.tgz
if [ ! -f "$TGZ" ]; then
  (cd "$CACHE" && npm pack --silent "innosetup@$INNO_VERSION" >/dev/null) || die "npm pack innosetup@$INNO_VERSION gagal"
fi
[ "$(openssl dgst -sha512 -binary "$TGZ" | base64 -w0)" = "$INNO_SHA512" ] \
  || { rm -f "$TGZ"; die "hash $TGZ tidak cocok dengan sha512 yang disematkan (berkas dihapus)"; }
INNO=$CACHE/innosetup-$INNO_VERSION
if [ ! -f "$INNO/ISCC.exe" ]; then
  rm -rf "$INNO.tmp" && mkdir -p "$INNO.tmp"
  tar -xzf "$TGZ" -C "$INNO.tmp"
  rm -rf "$INNO" && mv "$INNO.tmp/package/bin" "$INNO" && rm -rf "$INNO.tmp"
fi
# Every program and library of the compiler carries the author's signature (the .e32 setup stubs never do: they
# are unsigned in every Inno Setup release). Checked on every run: the cache is not trusted.
for f in "$INNO"/*.exe "$INNO"/*.dll; do
  out=$(osslsigncode verify -in "$f" -CAfile /etc/ssl/certs/ca-certificates.crt -ignore-crl 2>&1) \
    || die "tanda tangan $(basename "$f") tidak sah: $(echo "$out" | tail -1)"
  grep -q "Subject: .*$INNO_SIGNER" <<<"$out" || die "$(basename "$f") tidak ditandatangani oleh $INNO_SIGNER"
done
echo "$(ls "$INNO"/*.exe "$INNO"/*.dll | wc -l) berkas bertanda tangan sah ($INNO_SIGNER)"
# The project's Indonesian.isl must carry every message of this Inno Setup's Default.isl, same placeholders.
python3 - "$INNO/Default.isl" "$REPO/scripts/windows/Indonesian.isl" <<'EOF' || die "Indonesian.isl tidak lengkap untuk Inno Setup ini (lihat di atas)"
import re, sys
def messages(path):
    out, section = {}, ""
    for line in open(path, encoding="utf-8-sig").read().splitlines():
        s = line.strip()
        if s.startswith("["):
            section = s
        elif section in ("[Messages]", "[CustomMessages]") and "=" in s and not s.startswith(";"):
            key, value = s.split("=", 1)
            out[section + key] = value
    return out
marks = lambda v: sorted(re.findall(r"%\d|%n|\[[a-z/]+\]", v))
english, ours = messages(sys.argv[1]), messages(sys.argv[2])
bad = [k for k in english if k not in ours] + [k for k in english if k in ours and marks(english[k]) != marks(ours[k])]
for k in bad:
    print("  tidak ada atau beda penanda:", k, file=sys.stderr)
print(f"Indonesian.isl: {len(english)} pesan Default.isl, {len(bad)} bermasalah")
sys.exit(1 if bad else 0)
EOF

phase "3. Layar virtual (Xvfb) dan prefix Wine (64-bit, dengan bagian 32-bit untuk penginstal)"
# Setup.exe builds its wizard window even with /VERYSILENT; under Wine's null display driver (no DISPLAY) that
# fails ("Error reading FPreparingMemo.Lines.Strings: A call to an OS function failed"). A private Xvfb fixes it.
if [ -z "${DISPLAY:-}" ]; then
  Xvfb -displayfd 3 -nolisten tcp -screen 0 1024x768x24 3>"$CACHE/xvfb.display" >/dev/null 2>&1 &
  XVFB_PID=$!
  for _ in $(seq 50); do [ -s "$CACHE/xvfb.display" ] && break; sleep 0.1; done
  [ -s "$CACHE/xvfb.display" ] || die "Xvfb tidak mau mulai"
  export DISPLAY=":$(cat "$CACHE/xvfb.display")"
fi
wineserver -k >/dev/null 2>&1 || true   # a running wineserver keeps the display it started with
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  w wineboot --init >/dev/null
elif [ ! -f "$WINEPREFIX/drive_c/windows/syswow64/kernel32.dll" ]; then
  w wineboot --update >/dev/null   # a prefix made before wine32 was installed lacks its 32-bit system
fi
[ -f "$WINEPREFIX/drive_c/windows/syswow64/kernel32.dll" ] || die "prefix $WINEPREFIX tidak punya bagian 32-bit (wine32)"
# Wine 8.0 makes a prefix that says "Windows 7"; the .iss has MinVersion=10.0 (the offices run Windows 10/11).
winbuild() { wq reg query 'HKLM\Software\Microsoft\Windows NT\CurrentVersion' /v CurrentBuild | awk '$1 == "CurrentBuild" {print $3}'; }
[ "$(winbuild)" -ge 10240 ] 2>/dev/null || { w winecfg /v win10 >/dev/null; wine_idle winecfg; }
[ "$(winbuild)" -ge 10240 ] 2>/dev/null || die "prefix tidak dapat diatur ke Windows 10 (CurrentBuild $(winbuild))"
echo "prefix $WINEPREFIX: Windows build $(winbuild), 32-bit ada"
LOCAL=$(winepath -u "$(wq cmd /c 'echo %LOCALAPPDATA%')" 2>/dev/null) || die "tidak dapat membaca %LOCALAPPDATA% di prefix"
ROAMING=$(winepath -u "$(wq cmd /c 'echo %APPDATA%')" 2>/dev/null) || die "tidak dapat membaca %APPDATA% di prefix"
APPDIR=$LOCAL/Programs/KlatenDesktop
DATADIR=$LOCAL/PemkabKlaten/KlatenDesktop
SHORTCUT="$ROAMING/Microsoft/Windows/Start Menu/Programs/Klaten Desktop.lnk"
APPID=$(sed -n 's/^AppId={\({[0-9A-F-]*}\)$/\1/p' "$ISS")
[ -n "$APPID" ] || die "AppId tidak terbaca dari $ISS"
UNKEY="HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\${APPID}_is1"
display_version() { wq reg query "$UNKEY" /v DisplayVersion | awk '$1 == "DisplayVersion" {print $3}'; }
# Whatever a failed earlier run left behind goes first (program files only; the data folder is not touched).
if [ -n "$(display_version || true)" ] && [ -f "$APPDIR/unins000.exe" ]; then
  echo "membersihkan pemasangan lama dari run sebelumnya ($(display_version))"
  w "$APPDIR/unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART >/dev/null || true
  wine_idle "hapus sisa pemasangan"
fi
rm -rf "$APPDIR"; wq reg delete "$UNKEY" /f >/dev/null 2>&1 || true

phase "4. Kompilasi penginstal rilis (versi dari klaten_desktop/__init__.py)"
read -r VERSION NUMERIC NEXT NEXT_NUMERIC < <(PYTHONPATH=$REPO python3 -c '
from klaten_desktop import __version__ as v
from klaten_desktop.version_info import version_tuple as t
a, b, c, _ = t(v)
print(v, "%d.%d.%d.0" % (a, b, c), "%d.%d.%d" % (a, b, c + 1), "%d.%d.%d.0" % (a, b, c + 1))')
[ -n "${NEXT_NUMERIC:-}" ] || die "versi tidak terbaca dari klaten_desktop/__init__.py"
echo "versi $VERSION ($NUMERIC); versi uji pemutakhiran $NEXT"
for f in "$GUI_EXE" "$CLI_EXE" _internal; do [ -e "$BUNDLE/$f" ] || die "bundel tidak lengkap: $BUNDLE/$f tidak ada"; done
iscc() {  # iscc VERSION NUMERIC OUTDIR [extra /D...]
  local log=$CACHE/iscc-$1.log
  w "$INNO/ISCC.exe" /Q "/DAppVersion=$1" "/DAppVersionNumeric=$2" "/DSourceDir=$(winpath "$BUNDLE")" \
    "/O$(winpath "$3")" "${@:4}" "$(winpath "$ISS")" >"$log" || { cat "$log"; die "ISCC gagal untuk versi $1 (log: $log)"; }
  [ -f "$3/KlatenDesktop-$1-setup.exe" ] || die "ISCC tidak menghasilkan $3/KlatenDesktop-$1-setup.exe"
}
SETUP=$OUT/KlatenDesktop-$VERSION-setup.exe
rm -f "$SETUP" "$SETUP.sha256"
iscc "$VERSION" "$NUMERIC" "$OUT" ${INNO_COMPRESSION:+"/DCompression=$INNO_COMPRESSION"}
(cd "$OUT" && sha256sum "$(basename "$SETUP")" >"$(basename "$SETUP").sha256")
echo "$SETUP ($(du -m "$SETUP" | cut -f1) MB)"

phase "5. Pasang senyap $VERSION (/VERYSILENT /CURRENTUSER)"
LOGS=$CACHE/logs; rm -rf "$LOGS"; mkdir -p "$LOGS"
run_setup() {  # run_setup SETUP_EXE LOGNAME
  local rc=0
  w "$1" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /CURRENTUSER "/LOG=$(winpath "$LOGS/$2.log")" >/dev/null || rc=$?
  [ $rc -eq 0 ] || die "$(basename "$1") keluar dengan kode $rc: $(grep -A1 -m1 -i 'suppressed message box\|error\|galat' "$LOGS/$2.log" | tr -d '\r' | tail -1 | sed 's/^ *//') (log: $LOGS/$2.log)"
  wine_idle "$(basename "$1")"
}
run_setup "$SETUP" install-$VERSION
for f in "$GUI_EXE" "$CLI_EXE" unins000.exe; do
  [ -f "$APPDIR/$f" ] || die "setelah pemasangan $VERSION tidak ada $APPDIR/$f"
done
got=$(w "$APPDIR/$CLI_EXE" --version | tr -d '\r') || die "$CLI_EXE --version keluar dengan galat: $got"
[ "$got" = "Klaten Desktop $VERSION" ] || die "$CLI_EXE --version mencetak '$got', seharusnya 'Klaten Desktop $VERSION'"
[ "$(display_version)" = "$VERSION" ] || die "DisplayVersion di $UNKEY adalah '$(display_version)', seharusnya $VERSION"
lang=$(wq reg query "$UNKEY" /v "Inno Setup: Language" | sed -n 's/.*REG_SZ *//p')
[ "$lang" = id ] || die "bahasa penginstal '$lang', seharusnya id (Bahasa Indonesia)"
[ -f "$SHORTCUT" ] || die "pintasan Menu Start tidak dibuat: $SHORTCUT"
echo "terpasang di $APPDIR; '$got'; DisplayVersion $VERSION; bahasa id; pintasan Menu Start ada"

phase "6. Data pengguna: penanda di %LOCALAPPDATA%\\PemkabKlaten\\KlatenDesktop"
mkdir -p "$DATADIR"
TOKEN="uji-penginstal $(date -u +%FT%TZ) $$"
echo "$TOKEN" >"$DATADIR/penanda-uji-penginstal.txt"
# A file the next version no longer ships: [InstallDelete] must clear the old _internal on upgrade.
echo stale >"$APPDIR/_internal/sisa-versi-lama.txt"
check_data() {
  [ "$(cat "$DATADIR/penanda-uji-penginstal.txt" 2>/dev/null)" = "$TOKEN" ] \
    || die "berkas penanda di folder data pengguna hilang atau berubah setelah $1: $DATADIR"
}

phase "7. Kompilasi penginstal uji $NEXT (zip/1, hanya untuk uji pemutakhiran) dan pasang senyap di atasnya"
mkdir -p "$CACHE/upgrade" && rm -f "$CACHE/upgrade"/*.exe
iscc "$NEXT" "$NEXT_NUMERIC" "$CACHE/upgrade" /DCompression=zip/1
run_setup "$CACHE/upgrade/KlatenDesktop-$NEXT-setup.exe" upgrade-$NEXT
[ "$(display_version)" = "$NEXT" ] || die "setelah pemutakhiran DisplayVersion '$(display_version)', seharusnya $NEXT"
for f in "$GUI_EXE" "$CLI_EXE" unins000.exe; do [ -f "$APPDIR/$f" ] || die "setelah pemutakhiran tidak ada $APPDIR/$f"; done
[ ! -e "$APPDIR/_internal/sisa-versi-lama.txt" ] || die "pemutakhiran tidak membersihkan _internal versi lama"
[ ! -e "$APPDIR/unins001.exe" ] || die "pemutakhiran membuat penghapus instalasi kedua (unins001.exe): AppId berubah?"
check_data "pemutakhiran"
echo "DisplayVersion $VERSION -> $NEXT; _internal lama dibersihkan; data pengguna utuh"

phase "8. Hapus instalasi senyap (unins000.exe /VERYSILENT)"
w "$APPDIR/unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART "/LOG=$(winpath "$LOGS/uninstall.log")" >/dev/null \
  || die "unins000.exe keluar dengan galat (log: $LOGS/uninstall.log)"
wine_idle unins000.exe   # the uninstaller hands over to a copy of itself in %TEMP% and returns at once
left=$(find "$APPDIR" -type f 2>/dev/null | head -3 || true)
[ -z "$left" ] || die "berkas program tersisa setelah hapus instalasi: $left"
[ -z "$(display_version || true)" ] || die "kunci $UNKEY masih ada setelah hapus instalasi"
[ ! -e "$SHORTCUT" ] || die "pintasan Menu Start masih ada setelah hapus instalasi"
check_data "hapus instalasi"
rm -f "$DATADIR/penanda-uji-penginstal.txt"
echo "berkas program, kunci registri dan pintasan hilang; folder data dan penanda tetap ada"

phase "selesai: $SETUP"
echo "OK: penginstal $VERSION dibangun dan diuji (pasang, mutakhirkan ke $NEXT, hapus) dalam $(( $(date +%s) - T0 )) s"
