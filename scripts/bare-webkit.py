#!/usr/bin/python3
"""The floor for scripts/measure-start.sh: a bare WebKitGTK 4.1 window (the engine the app's
window uses under Linux), 1280 x 800 like the app's, showing a trivial page.

When the page's first frame is painted (the same signal as the app's: two animation frames
after the page drew its content), prints « bare-webkit-probe first-screen epoch_ms=… » on
stderr, then stays open until killed. Needs python3-gi and gir1.2-webkit2-4.1 (Debian/Ubuntu).
"""

import sys
import time

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import Gtk, WebKit2  # noqa: E402

PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Fenêtre nue</title></head>
<body><h1>Tableau de bord</h1><p>Une page triviale.</p>
<script>
document.body.append(document.createElement('p'));
requestAnimationFrame(() => requestAnimationFrame(() => window.webkit.messageHandlers.probe.postMessage('shown')));
</script></body></html>"""


def shown(_manager, _result):
    epoch_ms = int(time.time() * 1000)
    print(f"bare-webkit-probe first-screen epoch_ms={epoch_ms}", file=sys.stderr, flush=True)


def main():
    manager = WebKit2.UserContentManager()
    manager.connect("script-message-received::probe", shown)
    manager.register_script_message_handler("probe")
    view = WebKit2.WebView.new_with_user_content_manager(manager)
    window = Gtk.Window(title="Fenêtre nue")
    window.set_default_size(1280, 800)
    window.add(view)
    window.connect("destroy", Gtk.main_quit)
    view.load_html(PAGE, "about:blank")
    window.show_all()
    Gtk.main()


if __name__ == "__main__":
    main()
