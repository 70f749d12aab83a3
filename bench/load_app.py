"""The app as ``storyboard serve`` runs it, plus one bare route for the load benchmark's
reference: the same server, workers and middleware, but no database and no template.

Not part of the product: only ``bench/load_bench.py`` serves it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storyboard import create_app
from storyboard.access import public
from storyboard.ops.serve import StoryboardServer

HELLO_PATH = "/_bench/hello"


def bench_app() -> Any:
    app = create_app()

    @app.get(HELLO_PATH)
    @public
    def bench_hello() -> str:
        return "hello"

    return app


if __name__ == "__main__":
    import json

    # ``storyboard serve``'s gunicorn settings (given as JSON), serving ``bench_app``.
    StoryboardServer(json.loads(sys.argv[1]), bench_app).run()
