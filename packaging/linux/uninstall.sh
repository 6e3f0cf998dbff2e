#!/bin/sh
# Remove what install.sh put in place. Your data folder (cohorts, backups, settings) is
# left as it is: delete it by hand if you want it gone too.
set -eu

APP_ID=org.systemsanctuary.SanctuaryDesktop
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
BIN_HOME=$HOME/.local/bin
LIB=$HOME/.local/lib/sanctuary-desktop

if [ -L "$BIN_HOME/sanctuary-desktop" ]; then rm -f "$BIN_HOME/sanctuary-desktop"; fi
rm -f "$DATA_HOME/applications/$APP_ID.desktop" "$DATA_HOME/metainfo/$APP_ID.metainfo.xml"
find "$DATA_HOME/icons/hicolor" -name "$APP_ID.*" -type f -exec rm -f {} + 2>/dev/null || true
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$DATA_HOME/applications" 2>/dev/null || true
fi
if [ -x "$LIB/sanctuary-desktop" ]; then rm -rf "$LIB"; fi
echo "Sanctuary Desktop is removed. Your data folder was left as it is."
