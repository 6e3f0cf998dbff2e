#!/bin/sh
# Install Sanctuary Desktop for you alone: no administrator rights, nothing written
# outside your home folder. Run it from the unpacked folder:  ./install.sh
#
#   the app          ~/.local/lib/sanctuary-desktop/
#   the command      ~/.local/bin/sanctuary-desktop
#   menu entry       ~/.local/share/applications/org.systemsanctuary.SanctuaryDesktop.desktop
#   AppStream data   ~/.local/share/metainfo/org.systemsanctuary.SanctuaryDesktop.metainfo.xml
#   icons            ~/.local/share/icons/hicolor/*/apps/org.systemsanctuary.SanctuaryDesktop.*
#
# ($XDG_DATA_HOME replaces ~/.local/share when it is set.) Your cohorts are kept apart,
# in the app's data folder, and neither this script nor uninstall.sh touches them.
set -eu

APP_ID=org.systemsanctuary.SanctuaryDesktop
HERE=$(cd "$(dirname "$0")" && pwd)
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
BIN_HOME=$HOME/.local/bin
LIB=$HOME/.local/lib/sanctuary-desktop
APP_BIN=$LIB/sanctuary-desktop

case "$LIB" in
    *[\"\\\`\$]*)
        echo "install.sh: cannot install under a folder whose name holds \" \\ \` or \$: $LIB" >&2
        exit 1
        ;;
esac
if [ ! -x "$HERE/app/sanctuary-desktop" ]; then
    echo "install.sh: run me from the unpacked folder (app/sanctuary-desktop is missing)" >&2
    exit 1
fi

# The app: copied beside the old one, then swapped in, so a failed copy leaves the old.
mkdir -p "$HOME/.local/lib" "$BIN_HOME" "$DATA_HOME/applications" "$DATA_HOME/metainfo"
rm -rf "$LIB.new"
cp -R "$HERE/app" "$LIB.new"
cp "$HERE/uninstall.sh" "$LIB.new/uninstall.sh"
chmod 755 "$LIB.new/uninstall.sh"
rm -rf "$LIB.old"
if [ -d "$LIB" ]; then mv "$LIB" "$LIB.old"; fi
mv "$LIB.new" "$LIB"
rm -rf "$LIB.old"

# The command on PATH: a link, so arguments, output and exit codes are the app's own.
ln -sfn "$APP_BIN" "$BIN_HOME/sanctuary-desktop"

# The menu entry starts the app by its full path: ~/.local/bin is not on every
# desktop session's PATH.
ESCAPED=$(printf '%s' "$APP_BIN" | sed -e 's/[\\|&]/\\&/g')
sed -e "s|^Exec=.*|Exec=\"$ESCAPED\"|" -e "s|^TryExec=.*|TryExec=$ESCAPED|" \
    "$HERE/share/applications/$APP_ID.desktop" > "$DATA_HOME/applications/$APP_ID.desktop"
chmod 644 "$DATA_HOME/applications/$APP_ID.desktop"
cp "$HERE/share/metainfo/$APP_ID.metainfo.xml" "$DATA_HOME/metainfo/"

# Icons: every size, under the name the menu entry uses.
(cd "$HERE/share/icons" && find hicolor -type f) | while read -r icon; do
    mkdir -p "$DATA_HOME/icons/$(dirname "$icon")"
    cp "$HERE/share/icons/$icon" "$DATA_HOME/icons/$icon"
done

# Desktops that keep caches learn of the new entry and icons; others look by themselves.
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$DATA_HOME/applications" 2>/dev/null || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$DATA_HOME/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t -f "$DATA_HOME/icons/hicolor" 2>/dev/null || true
fi

echo "Sanctuary Desktop is installed: open it from your applications menu,"
echo "or run: $BIN_HOME/sanctuary-desktop"
case ":$PATH:" in
    *":$BIN_HOME:"*) ;;
    *) echo "($BIN_HOME is not on your PATH: add it to run sanctuary-desktop by name.)" ;;
esac
echo "To remove it: $LIB/uninstall.sh (your cohorts stay in the app's data folder)."
